import { useChannel } from '../../api/queries'
import { ClientPicker } from '../../components/ClientPicker'

/**
 * Narrows a list to one client: the same searching field a booking uses (arrows, Enter,
 * Escape), over archived clients too since their messages stay in the log. With a client
 * chosen, a link goes back to everyone.
 */
export function ClientFilter(props: { clientId: string; onChange: (clientId: string) => void }) {
  const chosen = useChannel('clients.get', { id: props.clientId }, { enabled: !!props.clientId })
  return (
    <div className="field client-filter">
      <label htmlFor="client-filter">Client</label>
      <div className="client-filter-row">
        <ClientPicker
          id="client-filter"
          value={props.clientId}
          initialName={chosen.data?.name}
          includeArchived
          placeholder="Any client: type a name"
          onChange={(client) => props.onChange(client?.id ?? '')}
        />
        {props.clientId && (
          <button
            type="button"
            className="link"
            aria-label="Clear the client filter"
            onClick={() => props.onChange('')}
          >
            All clients
          </button>
        )}
      </div>
    </div>
  )
}
