-- A school's own calendar (terms, half terms, closures) when it has imported one; until then the
-- built-in England default applies. Stored whole: a calendar is small and read as a unit.
CREATE TABLE school_calendar (
  school_id    integer PRIMARY KEY REFERENCES school(id),
  calendar     jsonb NOT NULL,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  imported_by  text
);
