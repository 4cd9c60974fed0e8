-- Each upcoming job's weather risk as last told (server/weather): an alert is raised when
-- a refresh finds another, in the transaction that records the new one.
CREATE TABLE "weather_alerts" (
	"appointment_id" uuid PRIMARY KEY NOT NULL,
	"risk" text NOT NULL,
	"reason" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
