import { describe, expect, it } from 'vitest'
import { insecureServerRefusal, isLoopbackHost } from './server-address'

describe('which sync server addresses a laptop accepts', () => {
  it.each([
    'https://sync.example.com',
    'https://10.0.0.5:8787',
    'http://127.0.0.1:8787',
    'http://127.3.0.1',
    'http://localhost:8787',
    'http://[::1]:8787',
  ])('accepts %s', (url) => expect(insecureServerRefusal(url, false)).toBeNull())

  it.each([
    'http://sync.example.com',
    'http://192.168.1.20:8787',
    'http://127.0.0.1.nip.io',
    'http://localhost.example.com',
    'http://[::2]',
    'http://0.0.0.0:8787',
  ])('refuses %s over plain http unless allowed', (url) => {
    expect(insecureServerRefusal(url, false)).toMatch(/must start with https:\/\//)
    expect(insecureServerRefusal(url, true)).toBeNull()
  })

  it('knows loopback names', () => {
    expect(isLoopbackHost('LOCALHOST')).toBe(true)
    expect(isLoopbackHost('127.0.0.1')).toBe(true)
    expect(isLoopbackHost('128.0.0.1')).toBe(false)
  })
})
