-- A stored row the domain tables refuse (it broke a rule the JSON store did not check,
-- such as a job whose client never reached the server) is kept here with the reason,
-- never lost: an admin can look at it and repair it.
CREATE TABLE "sync_rows_unplaced" (
	"table_name" text NOT NULL,
	"row_id" uuid NOT NULL,
	"values" jsonb NOT NULL,
	"versions" jsonb NOT NULL,
	"reason" text NOT NULL,
	"found_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_rows_unplaced_pk" PRIMARY KEY("table_name","row_id")
);
