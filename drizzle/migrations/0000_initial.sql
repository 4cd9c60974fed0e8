CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointment_products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"appointment_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" numeric(10, 2) NOT NULL,
	"unit_price" numeric(10, 2) NOT NULL,
	CONSTRAINT "appointment_products_quantity_check" CHECK ("appointment_products"."quantity" > 0),
	CONSTRAINT "appointment_products_unit_price_check" CHECK ("appointment_products"."unit_price" >= 0)
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"client_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"team_member_id" uuid,
	"scheduled_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"price" numeric(10, 2) NOT NULL,
	"follow_up_of_id" uuid,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "appointments_status_check" CHECK (status in ('scheduled', 'in_progress', 'completed', 'cancelled')),
	CONSTRAINT "appointments_duration_check" CHECK ("appointments"."duration_minutes" between 1 and 1440),
	CONSTRAINT "appointments_price_check" CHECK ("appointments"."price" >= 0),
	CONSTRAINT "appointments_notes_check" CHECK (length("appointments"."notes") <= 10000)
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"address" text,
	"postal_code" text,
	"latitude" numeric(9, 6),
	"longitude" numeric(9, 6),
	"notes" text DEFAULT '' NOT NULL,
	CONSTRAINT "clients_name_check" CHECK (length(btrim(name)) between 1 and 200),
	CONSTRAINT "clients_email_check" CHECK ("clients"."email" is null or "clients"."email" ~ '^[^@\s]+@[^@\s]+$'),
	CONSTRAINT "clients_latitude_check" CHECK ("clients"."latitude" is null or "clients"."latitude" between -90 and 90),
	CONSTRAINT "clients_longitude_check" CHECK ("clients"."longitude" is null or "clients"."longitude" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"unit" text DEFAULT 'each' NOT NULL,
	"unit_price" numeric(10, 2) NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "products_name_check" CHECK (length(btrim(name)) between 1 and 200),
	CONSTRAINT "products_unit_check" CHECK (length(btrim(unit)) between 1 and 40),
	CONSTRAINT "products_unit_price_check" CHECK ("products"."unit_price" >= 0)
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"base_price" numeric(10, 2) NOT NULL,
	"duration_minutes" integer NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "services_name_check" CHECK (length(btrim(name)) between 1 and 200),
	CONSTRAINT "services_base_price_check" CHECK ("services"."base_price" >= 0),
	CONSTRAINT "services_duration_check" CHECK ("services"."duration_minutes" between 1 and 1440)
);
--> statement-breakpoint
CREATE TABLE "team_member_specialties" (
	"team_member_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_member_specialties_team_member_id_service_id_pk" PRIMARY KEY("team_member_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"color" text DEFAULT '#2e7d32' NOT NULL,
	"is_available" boolean DEFAULT true NOT NULL,
	CONSTRAINT "team_members_name_check" CHECK (length(btrim(name)) between 1 and 200),
	CONSTRAINT "team_members_color_check" CHECK ("team_members"."color" ~ '^#[0-9a-fA-F]{6}$')
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"name" text NOT NULL,
	"email" text,
	"role" text NOT NULL,
	"team_member_id" uuid,
	CONSTRAINT "users_name_check" CHECK (length(btrim(name)) between 1 and 200),
	CONSTRAINT "users_role_check" CHECK (role in ('admin', 'office_manager', 'crew_lead'))
);
--> statement-breakpoint
ALTER TABLE "appointment_products" ADD CONSTRAINT "appointment_products_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_products" ADD CONSTRAINT "appointment_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_team_member_id_team_members_id_fk" FOREIGN KEY ("team_member_id") REFERENCES "public"."team_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_follow_up_of_id_appointments_id_fk" FOREIGN KEY ("follow_up_of_id") REFERENCES "public"."appointments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_member_specialties" ADD CONSTRAINT "team_member_specialties_team_member_id_team_members_id_fk" FOREIGN KEY ("team_member_id") REFERENCES "public"."team_members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_member_specialties" ADD CONSTRAINT "team_member_specialties_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_team_member_id_team_members_id_fk" FOREIGN KEY ("team_member_id") REFERENCES "public"."team_members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appointment_products_appointment_idx" ON "appointment_products" USING btree ("appointment_id");--> statement-breakpoint
CREATE INDEX "appointments_scheduled_at_idx" ON "appointments" USING btree ("scheduled_at","id");--> statement-breakpoint
CREATE INDEX "appointments_status_scheduled_at_idx" ON "appointments" USING btree ("status","scheduled_at");--> statement-breakpoint
CREATE INDEX "appointments_client_idx" ON "appointments" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "appointments_service_idx" ON "appointments" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "appointments_team_member_scheduled_at_idx" ON "appointments" USING btree ("team_member_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "clients_name_idx" ON "clients" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "products_name_live_key" ON "products" USING btree ("name") WHERE "products"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "services_name_live_key" ON "services" USING btree ("name") WHERE "services"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "team_member_specialties_service_idx" ON "team_member_specialties" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "team_members_name_idx" ON "team_members" USING btree ("name");