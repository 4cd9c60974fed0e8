import { MapPin, Navigation, Phone } from 'lucide-react'
import { mapsUrl, telUrl } from '../../../shared/domain/job-links'
import { NO_ADDRESS } from '../app/labels'
import './job-place.css'

/**
 * Where a job is and how to reach the client: the address, the phone as a `tel:` link
 * (a tap calls where the device can; the desktop app hands it to the system's dialer),
 * and "Open in maps" (OpenStreetMap, in the system browser). The links are built by the
 * one rule in shared/domain/job-links.ts. Without an address it says so, as the day
 * sheet does, so the phone on the line below is never read as the place.
 */
export function JobPlace(props: {
  clientName: string
  place: string | null
  phone: string | null
  latitude: number | null
  longitude: number | null
  /** When the place is the client's address rather than the job's own. */
  clientAddress?: boolean
}) {
  const maps = mapsUrl({
    address: props.place,
    latitude: props.latitude,
    longitude: props.longitude,
  })
  return (
    <div className="job-place">
      <span className="job-address">
        <MapPin aria-hidden="true" size={16} />
        {props.place ? (
          <span>
            {props.place}
            {props.clientAddress && <span className="muted"> (client's address)</span>}
          </span>
        ) : (
          <span className="muted">{NO_ADDRESS}</span>
        )}
      </span>
      {(props.phone || maps) && (
        <span className="job-links">
          {props.phone && <PhoneLink clientName={props.clientName} phone={props.phone} />}
          {maps && (
            <a
              href={maps}
              target="_blank"
              rel="noopener noreferrer"
              aria-label={`Open in maps: ${props.clientName}`}
            >
              <Navigation aria-hidden="true" size={16} />
              Open in maps
            </a>
          )}
        </span>
      )}
    </div>
  )
}

/** The client's phone: a link that calls it, or plain text when it is not a number. */
export function PhoneLink(props: { clientName: string; phone: string }) {
  const tel = telUrl(props.phone)
  return tel ? (
    <a className="job-phone" href={tel} aria-label={`Call ${props.clientName} at ${props.phone}`}>
      <Phone aria-hidden="true" size={16} />
      {props.phone}
    </a>
  ) : (
    <span className="job-phone">
      <Phone aria-hidden="true" size={16} />
      {props.phone}
    </span>
  )
}
