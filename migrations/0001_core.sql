-- tutorbot core: schools, staff, pupils, tutor assignments with history, and the audit log.
-- Every table carries school_id: one database serves one school or a whole trust.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE school (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  urn         text UNIQUE,
  time_zone   text NOT NULL DEFAULT 'Europe/London',
  settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  school_id     integer NOT NULL REFERENCES school(id),
  source_id     text,
  email         text NOT NULL CHECK (email = lower(email) AND position('@' in email) > 1),
  display_name  text NOT NULL,
  name_key      text NOT NULL DEFAULT '',
  roles         text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['tutor','head_of_house','head_of_year','pastoral_lead','dsl','deputy_dsl','senco','admin']::text[]),
  year_scope    smallint[] NOT NULL DEFAULT '{}',
  house_scope   text[] NOT NULL DEFAULT '{}',
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, email)
);
CREATE UNIQUE INDEX staff_source_id ON staff (school_id, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX staff_name_key ON staff USING gin (school_id, name_key gin_trgm_ops);

CREATE TABLE pupil (
  id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  school_id       integer NOT NULL REFERENCES school(id),
  source_id       text NOT NULL,
  upn             text,
  given_name      text NOT NULL,
  family_name     text NOT NULL,
  preferred_name  text,
  date_of_birth   date,
  year_group      smallint CHECK (year_group BETWEEN 1 AND 14),
  form            text,
  house           text,
  sen             boolean NOT NULL DEFAULT false,
  eal             boolean NOT NULL DEFAULT false,
  active          boolean NOT NULL DEFAULT true,
  -- Lower-case, accent-free "given family" and "preferred family", kept by the application
  -- (normalize-name.ts) so that the trigram indexes below can serve fuzzy name search.
  name_key        text NOT NULL,
  preferred_key   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, source_id)
);
CREATE INDEX pupil_name_key_trgm ON pupil USING gin (school_id, name_key gin_trgm_ops);
CREATE INDEX pupil_preferred_key_trgm ON pupil USING gin (school_id, preferred_key gin_trgm_ops) WHERE preferred_key IS NOT NULL;
CREATE INDEX pupil_school_year ON pupil (school_id, year_group) WHERE active;
CREATE INDEX pupil_school_house ON pupil (school_id, house) WHERE active;
CREATE UNIQUE INDEX pupil_upn ON pupil (school_id, upn) WHERE upn IS NOT NULL;

-- History, not just the current value: a change ends one row (valid_to) and starts another.
CREATE TABLE tutor_assignment (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  school_id   integer NOT NULL REFERENCES school(id),
  pupil_id    integer NOT NULL REFERENCES pupil(id),
  staff_id    integer NOT NULL REFERENCES staff(id),
  valid_from  timestamptz NOT NULL DEFAULT now(),
  valid_to    timestamptz,
  reason      text NOT NULL,
  created_by  integer REFERENCES staff(id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX tutor_assignment_current ON tutor_assignment (pupil_id) WHERE valid_to IS NULL;
CREATE INDEX tutor_assignment_current_staff ON tutor_assignment (staff_id) WHERE valid_to IS NULL;
CREATE INDEX tutor_assignment_pupil_history ON tutor_assignment (pupil_id, valid_from);

CREATE TABLE audit_log (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  school_id       integer NOT NULL REFERENCES school(id),
  actor_staff_id  integer REFERENCES staff(id),
  action          text NOT NULL,
  pupil_id        integer REFERENCES pupil(id),
  subject         text,
  channel         text,
  at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_pupil ON audit_log (school_id, pupil_id, at);
