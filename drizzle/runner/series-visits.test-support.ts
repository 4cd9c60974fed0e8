/**
 * Rows for the tests of marking the series' own writes (laptop migration 0017, server
 * migration 0010): a client, a service and a series, with a visit the series governs,
 * one that is an exception and a job of no series. `rowId(n)` names them: 1 the client,
 * 2 the service, 3 the series, 10 to 12 the jobs in that order.
 */
export const rowId = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`

export const SERIES_VISITS_SQL = `
  INSERT INTO clients (id, name) VALUES ('${rowId(1)}', 'Client');
  INSERT INTO services (id, name, base_price, duration_minutes) VALUES ('${rowId(2)}', 'Mowing', 50, 60);
  INSERT INTO series (id, root_id, client_id, service_id, rule, starts_on, start_time, duration_minutes, price)
    VALUES ('${rowId(3)}', '${rowId(3)}', '${rowId(1)}', '${rowId(2)}', 'FREQ=WEEKLY', '2027-04-05', '08:30', 60, 50);
  INSERT INTO appointments (id, client_id, service_id, scheduled_at, duration_minutes, price,
      series_id, series_occurrence, series_exception)
    VALUES ('${rowId(10)}', '${rowId(1)}', '${rowId(2)}', '2027-04-05T13:30:00Z', 60, 50, '${rowId(3)}', '2027-04-05', false),
           ('${rowId(11)}', '${rowId(1)}', '${rowId(2)}', '2027-04-12T18:00:00Z', 60, 50, '${rowId(3)}', '2027-04-12', true),
           ('${rowId(12)}', '${rowId(1)}', '${rowId(2)}', '2027-04-13T15:00:00Z', 60, 50, NULL, NULL, false);`
