/**
 * The day's weather as a small picture, from the WMO code Open-Meteo gives (0 clear ...
 * 99 thunderstorm). Plain inline SVG in the text colour: no icon font, nothing fetched.
 */
export type Sky = 'clear' | 'cloud' | 'fog' | 'drizzle' | 'rain' | 'snow' | 'showers' | 'thunder'

export function skyOf(code: number | null): Sky | null {
  if (code === null) return null
  if (code <= 1) return 'clear'
  if (code <= 3) return 'cloud'
  if (code === 45 || code === 48) return 'fog'
  if (code >= 51 && code <= 57) return 'drizzle'
  if (code >= 61 && code <= 67) return 'rain'
  if (code >= 80 && code <= 82) return 'showers'
  if ((code >= 71 && code <= 77) || code === 85 || code === 86) return 'snow'
  if (code >= 95) return 'thunder'
  return 'cloud'
}

export const SKY_LABEL: Record<Sky, string> = {
  clear: 'Clear',
  cloud: 'Cloudy',
  fog: 'Fog',
  drizzle: 'Drizzle',
  rain: 'Rain',
  snow: 'Snow',
  showers: 'Showers',
  thunder: 'Thunderstorms',
}

// A cloud in the upper part of the box, leaving room below for what falls from it.
const HIGH_CLOUD = 'M7 15h10a4 4 0 0 0 .4-7.98A6 6 0 0 0 6.2 8.2 3.5 3.5 0 0 0 7 15z'
const CLOUD = 'M7 19h10a4 4 0 0 0 .4-7.98A6 6 0 0 0 6.2 12.2 3.5 3.5 0 0 0 7 19z'

function Shape({ sky }: { sky: Sky }) {
  switch (sky) {
    case 'clear':
      return (
        <>
          <circle cx="12" cy="12" r="4" />
          <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
        </>
      )
    case 'cloud':
      return <path d={CLOUD} />
    case 'fog':
      return <path d="M4 8h16M3 12h18M5 16h14M7 20h10" />
    case 'drizzle':
      return (
        <>
          <path d={HIGH_CLOUD} />
          <path d="M8 19v.5M12 20v.5M16 19v.5" />
        </>
      )
    case 'rain':
      return (
        <>
          <path d={HIGH_CLOUD} />
          <path d="M8 18l-1 3M12 18l-1 3M16 18l-1 3" />
        </>
      )
    case 'showers':
      return (
        <>
          <path d="M16 3.5v1M20.2 5.3l-.7.7M21.5 9.5h-1" />
          <path d={HIGH_CLOUD} />
          <path d="M9 18l-1 3M14 18l-1 3" />
        </>
      )
    case 'snow':
      return (
        <>
          <path d={HIGH_CLOUD} />
          <path d="M8 18v3M6.7 19.5h2.6M14 18v3M12.7 19.5h2.6" />
        </>
      )
    case 'thunder':
      return (
        <>
          <path d={HIGH_CLOUD} />
          <path d="M12.5 15l-2 3.5h3l-2 3.5" />
        </>
      )
  }
}

/** The picture, labelled for assistive technology unless `decorative`. */
export function WeatherIcon(props: { code: number | null; size?: number; decorative?: boolean }) {
  const sky = skyOf(props.code)
  if (!sky) return null
  const size = props.size ?? 18
  const common = {
    className: `weather-icon sky-${sky}`,
    width: size,
    height: size,
    viewBox: '0 0 24 24',
    fill: 'none',
    stroke: 'currentColor',
    strokeWidth: 1.8,
    strokeLinecap: 'round',
    strokeLinejoin: 'round',
  } as const
  if (props.decorative) {
    return (
      <svg {...common} aria-hidden="true">
        <Shape sky={sky} />
      </svg>
    )
  }
  return (
    <svg {...common} role="img">
      <title>{SKY_LABEL[sky]}</title>
      <Shape sky={sky} />
    </svg>
  )
}
