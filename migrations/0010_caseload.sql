-- Caseloads, assignment and handover (docs/product-rules.md).

-- A handover previewed and waiting for its confirmation. The list of pupils is fixed when the
-- preview is shown, so the person confirms exactly what they saw; the status changes once
-- (pending -> confirmed | cancelled), which makes a second press of Confirm a no-op.
CREATE TABLE handover_request (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  school_id          integer NOT NULL REFERENCES school(id),
  from_staff_id      integer NOT NULL REFERENCES staff(id),
  to_staff_id        integer NOT NULL REFERENCES staff(id),
  pupil_ids          integer[] NOT NULL,
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'cancelled')),
  created_by         integer NOT NULL REFERENCES staff(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  decided_at         timestamptz,
  moved_pupil_ids    integer[] NOT NULL DEFAULT '{}',
  skipped_pupil_ids  integer[] NOT NULL DEFAULT '{}',
  CHECK (from_staff_id <> to_staff_id)
);
CREATE INDEX handover_request_school ON handover_request (school_id, created_at);


-- Caseloads read a school's (or a year's) pupils with their current tutor from these two indexes
-- alone (index-only scans), not from each pupil's and each assignment's row: a school's rows are
-- scattered across the tables once many schools share one database. The assignment index also
-- gives tutees per tutor across a school (the spread) without touching other schools' rows.
CREATE INDEX pupil_caseload ON pupil (school_id, year_group) INCLUDE (id, house, form) WHERE active;
CREATE INDEX tutor_assignment_current_school ON tutor_assignment (school_id, pupil_id) INCLUDE (staff_id) WHERE valid_to IS NULL;
