-- The domain event outbox (server/events/outbox.ts). Each accepted change writes its
-- events here in its own transaction; relays move them on (pg-boss queues, NATS
-- JetStream) and the admin feed reads them. `seq` is taken under the change lock held
-- to the commit, so it grows in commit order and a cursor over it never skips an event
-- whose transaction commits late (gaps from rolled-back transactions are fine).
CREATE TABLE "domain_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"subject" text NOT NULL,
	"correlation_id" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "domain_events_id_key" UNIQUE ("id")
);
--> statement-breakpoint
-- How far each relay (one row per pg-boss subscriber, one for NATS) has moved events
-- on. A relay locks its row while it works, so two server instances never relay the
-- same event twice to the same place.
CREATE TABLE "event_cursors" (
	"consumer" text PRIMARY KEY NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Events each subscriber has acted on, written in the subscriber's own transaction: a
-- redelivered event (a worker killed after acting, before its job was marked done) is
-- recognised and acted on once.
CREATE TABLE "processed_events" (
	"subscriber" text NOT NULL,
	"event_id" uuid NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_pkey" PRIMARY KEY ("subscriber", "event_id")
);
