-- Crew members' names and colours join the names the app caches beside its queries (the
-- appointments list attaches them from memory instead of joining on every page): a
-- change to a crew member moves the same counter as clients and services do.
CREATE TRIGGER "team_members_names_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "team_members"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_counters_bump"('names');
