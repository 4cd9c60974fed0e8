import type { ForecastDay } from '../../../../shared/contract/weather'
import { useSettings } from '../../api/reference'
import { WeatherIcon } from './WeatherIcon'
import { dayParts, daySentence } from './weather-text'
import './weather.css'

/**
 * One day of the weather strip: the sky, rain (amount and how likely), wind and the low
 * and high temperature, in the business's units, each on its own short line so a narrow
 * week column still reads. The whole sentence is its tooltip.
 */
export function DayWeather(props: { day: ForecastDay; wide?: boolean }) {
  const d = props.day
  const { units } = useSettings()
  const { rain, wind, temp } = dayParts(d, units)
  return (
    <span className={props.wide ? 'day-weather wide' : 'day-weather'} title={daySentence(d, units)}>
      <WeatherIcon code={d.weatherCode} decorative />
      {rain && (
        <span className="dw-rain">
          <span className="visually-hidden">rain </span>
          {rain}
        </span>
      )}
      {wind && (
        <span className="dw-wind">
          <span className="dw-unit-label">wind </span>
          {wind}
        </span>
      )}
      {temp && <span className="dw-temp">{temp}</span>}
    </span>
  )
}
