-- Fast path for who-tutors at national scale. Trigram posting lists span every school, so a
-- trigram search reads hundreds of index pages even though it wants one school's pupils. Most
-- questions share at least one whole word with the pupil's name ("amelia jnes", "jones amelia"),
-- so candidates are first found by exact name words within the school (a small GIN lookup), and
-- the trigram indexes serve only the rest (every word misspelt, or a prefix such as "Sam" for Samuel).
CREATE FUNCTION tutorbot_name_tokens(name_key text, preferred_key text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT string_to_array(name_key || coalesce(' ' || preferred_key, ''), ' ') $$;

CREATE INDEX pupil_name_tokens ON pupil USING gin (school_id, tutorbot_name_tokens(name_key, preferred_key));
