-- Every crew member each job has been given to (server/pull.ts): a crew lead's laptop
-- pulls the jobs that are or were its crew's, no other crew's. Filled from the jobs'
-- crews now and, from the event stream, the crews they were moved away from.
CREATE TABLE "appointment_crews" (
	"team_member_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	CONSTRAINT "appointment_crews_team_member_id_appointment_id_pk" PRIMARY KEY("team_member_id","appointment_id")
);
--> statement-breakpoint
INSERT INTO "appointment_crews" ("team_member_id", "appointment_id")
SELECT "team_member_id", "id" FROM "appointments" WHERE "team_member_id" IS NOT NULL
UNION
SELECT ("envelope"->'data'->'previous'->>'teamMemberId')::uuid, ("envelope"->'data'->>'appointmentId')::uuid
FROM "domain_events"
WHERE "type" = 'scheduling.appointment.rescheduled.v1'
  AND "envelope"->'data'->'previous'->>'teamMemberId' IS NOT NULL;
