CREATE TABLE "sync_devices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"user_name" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "sync_devices_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "sync_devices_role_check" CHECK (role in ('admin', 'office_manager', 'crew_lead'))
);
