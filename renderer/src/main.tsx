import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { followChanges, queryClient } from './api/queries'
import { App } from './app/App'
import { showDesktopNotices } from './features/notifications/desktop-notices'
import { followSyncStatus } from './stores/sync'
import './app/app.css'

const root = document.getElementById('root')
if (!root) throw new Error('no #root element')
// For the life of the page: what the core says changed is refetched wherever shown, a
// crew lead is told of the office's changes to their crew's jobs, and the link to the
// sync server is read again (a write waits to be pushed; a round ran).
followChanges(showDesktopNotices, followSyncStatus())
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)
