-- Notifications: the send log and the templates (synced tables), the business's sender
-- details, sending hours and reminder lead, and each client's wishes about messages.
-- New columns carry constant defaults (catalog-only changes on the central server's
-- tables); their checks are added NOT VALID: existing rows hold the defaults.
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
CREATE TABLE "notification_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"locale" text NOT NULL,
	"version" integer NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	CONSTRAINT "notification_templates_kind_check" CHECK (kind in ('confirmation', 'reminder', 'rescheduled', 'cancelled', 'weather')),
	CONSTRAINT "notification_templates_channel_check" CHECK (channel in ('email', 'sms')),
	CONSTRAINT "notification_templates_locale_check" CHECK ("notification_templates"."locale" ~ '^[a-z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"client_id" uuid NOT NULL,
	"appointment_id" uuid,
	"recipient" text,
	"visit_at" timestamp with time zone,
	"previous_visit_at" timestamp with time zone,
	"due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"provider_id" text,
	"reason" text,
	"detail" text,
	"subject" text,
	"body" text,
	"template_version" integer,
	"sent_at" timestamp with time zone,
	CONSTRAINT "notifications_kind_check" CHECK (kind in ('confirmation', 'reminder', 'rescheduled', 'cancelled', 'weather')),
	CONSTRAINT "notifications_channel_check" CHECK (channel in ('email', 'sms')),
	CONSTRAINT "notifications_status_check" CHECK (status in ('scheduled', 'queued', 'processing', 'sent', 'skipped', 'failed', 'dead')),
	CONSTRAINT "notifications_attempts_check" CHECK ("notifications"."attempts" between 0 and 100)
);
--> statement-breakpoint
ALTER TABLE "business_settings" ADD COLUMN "business_name" text;--> statement-breakpoint
ALTER TABLE "business_settings" ADD COLUMN "business_phone" text;--> statement-breakpoint
ALTER TABLE "business_settings" ADD COLUMN "reminder_lead_minutes" integer;--> statement-breakpoint
ALTER TABLE "business_settings" ADD COLUMN "sending_hours" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "notify_email" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "notify_sms" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "notify_off" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "locale" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_templates_key" ON "notification_templates" USING btree ("kind","channel","locale");--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "notifications_appointment_idx" ON "notifications" USING btree ("appointment_id");--> statement-breakpoint
CREATE INDEX "notifications_client_idx" ON "notifications" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_created_idx" ON "notifications" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_locale_check" CHECK ("clients"."locale" ~ '^[a-z]{2}$') NOT VALID;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_notify_off_check" CHECK (length("clients"."notify_off") <= 500) NOT VALID;--> statement-breakpoint
-- The capture triggers name the synced columns (0005): the new ones join them.
CREATE OR REPLACE TRIGGER "clients_sync" AFTER INSERT OR UPDATE ON "clients"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('name', 'email', 'phone', 'address', 'postal_code', 'latitude', 'longitude', 'notes', 'notify_email', 'notify_sms', 'notify_off', 'locale', 'deleted_at');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER "business_settings_sync" AFTER INSERT OR UPDATE ON "business_settings"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('time_zone', 'working_hours', 'working_days', 'business_name', 'business_phone', 'reminder_lead_minutes', 'sending_hours', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "notifications_sync" AFTER INSERT OR UPDATE ON "notifications"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('kind', 'channel', 'client_id', 'appointment_id', 'recipient', 'visit_at', 'previous_visit_at', 'due_at', 'status', 'attempts', 'provider_id', 'reason', 'detail', 'subject', 'body', 'template_version', 'sent_at', 'deleted_at');
--> statement-breakpoint
CREATE TRIGGER "notification_templates_sync" AFTER INSERT OR UPDATE ON "notification_templates"
  FOR EACH ROW EXECUTE FUNCTION "sync_capture"('kind', 'channel', 'locale', 'version', 'subject', 'body', 'deleted_at');
