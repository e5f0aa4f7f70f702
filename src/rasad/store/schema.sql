-- The rasad store (DuckDB). Each migration starts with a line "-- migration N: what it does".
-- open_store() applies, in order and each in one transaction, the migrations newer than the
-- database's schema_version. A released migration is never edited: add a new one.
-- Spans are character offsets into documents.text (start_char inclusive, end_char exclusive).
-- Dates are ISO 8601 strings at their grain (2024-01-08, 2024-01, 2024); date_lo/date_hi are
-- the first and last day they cover.

-- migration 1: documents, annotations, events, event clusters, failures
CREATE TABLE schema_version (
  version     INTEGER PRIMARY KEY,
  description VARCHAR
);

CREATE TABLE documents (
  id                 VARCHAR PRIMARY KEY,  -- content hash of text (Document.id)
  lang               VARCHAR,
  published          VARCHAR,
  published_inferred BOOLEAN,
  url                VARCHAR,
  source             VARCHAR,
  title              VARCHAR,
  author             VARCHAR,
  origin             VARCHAR,              -- file, file:line, file#record
  record_id          VARCHAR,              -- the id the source gave the record
  raw_id             VARCHAR,              -- hash of the raw HTML the text was extracted from
  byline             VARCHAR,
  credits            VARCHAR[],
  errors             VARCHAR[],
  n_sentences        INTEGER,
  meta               VARCHAR,              -- JSON: any other metadata
  text               VARCHAR,
  ingested_at        TIMESTAMP
);

CREATE TABLE zones (
  doc_id VARCHAR, n INTEGER, start_char INTEGER, end_char INTEGER, kind VARCHAR, extra VARCHAR
);

CREATE TABLE mentions (
  doc_id VARCHAR, n INTEGER, start_char INTEGER, end_char INTEGER, text VARCHAR, kind VARCHAR,
  actor VARCHAR, zone VARCHAR, rule VARCHAR, extra VARCHAR
);

CREATE TABLE actors (
  id       VARCHAR PRIMARY KEY,
  names    VARCHAR,                        -- JSON {lang: name}
  country  VARCHAR,
  sector   VARCHAR,
  kind     VARCHAR,
  wikidata VARCHAR,
  affiliation VARCHAR,                     -- ISO3 of a state an armed group is aligned with
  extra    VARCHAR
);

CREATE TABLE document_actors (doc_id VARCHAR, actor_id VARCHAR);

CREATE TABLE times (
  doc_id VARCHAR, n INTEGER, start_char INTEGER, end_char INTEGER, text VARCHAR, value VARCHAR,
  grain VARCHAR, inferred BOOLEAN, mod VARCHAR, zone VARCHAR, extra VARCHAR
);

CREATE TABLE quantities (
  doc_id VARCHAR, n INTEGER, start_char INTEGER, end_char INTEGER, text VARCHAR, value DOUBLE,
  unit VARCHAR, unit_text VARCHAR, mod VARCHAR, extra VARCHAR
);

CREATE TABLE quotes (
  doc_id VARCHAR, n INTEGER, start_char INTEGER, end_char INTEGER, text VARCHAR, speaker VARCHAR,
  speaker_text VARCHAR, cue VARCHAR, date VARCHAR, kind VARCHAR, extra VARCHAR
);

-- one row per event found in an article (GDELT's "mentions"); the key is (doc_id, event_id)
CREATE TABLE events (
  doc_id             VARCHAR,
  event_id           VARCHAR,
  type               VARCHAR,
  mode               VARCHAR,
  context            VARCHAR[],
  cameo              VARCHAR,
  goldstein          DOUBLE,
  quad               INTEGER,
  source_actor       VARCHAR,
  source_text        VARCHAR,
  source_country     VARCHAR,
  source_sector      VARCHAR,
  source_start       INTEGER,
  source_end         INTEGER,
  target_actor       VARCHAR,
  target_text        VARCHAR,
  target_country     VARCHAR,
  target_sector      VARCHAR,
  target_start       INTEGER,
  target_end         INTEGER,
  date               VARCHAR,
  date_grain         VARCHAR,
  date_source        VARCHAR,
  date_lo            DATE,
  date_hi            DATE,
  location_name      VARCHAR,
  location_country   VARCHAR,
  location_lat       DOUBLE,
  location_lon       DOUBLE,
  location_geonameid BIGINT,
  location_precision VARCHAR,
  sentence_start     INTEGER,
  sentence_end       INTEGER,
  sentence_text      VARCHAR,
  trigger_start      INTEGER,
  trigger_end        INTEGER,
  trigger_text       VARCHAR,
  negated            BOOLEAN,
  modality           VARCHAR,
  speaker            VARCHAR,
  confidence         DOUBLE,
  rule               VARCHAR,
  size               VARCHAR,              -- JSON {dead, injured, ...}
  extra              VARCHAR,              -- JSON: event fields this schema has no column for
  PRIMARY KEY (doc_id, event_id)
);

-- one row per real-world event (GDELT's "events"): the mentions that report it, merged
CREATE TABLE event_clusters (
  id                 VARCHAR,              -- hash of the founding mention's key
  seq                BIGINT,               -- creation order
  type               VARCHAR,
  rep_doc            VARCHAR,              -- the representative mention (highest confidence)
  rep_event          VARCHAR,
  source_country     VARCHAR,              -- the profile every member is compatible with
  source_sector      VARCHAR,
  target_country     VARCHAR,
  target_sector      VARCHAR,
  location_country   VARCHAR,
  location_geonameid BIGINT,
  location_name      VARCHAR,
  day_min            DATE,                 -- day-grain members
  day_max            DATE,
  coarse_lo          DATE,                 -- intersection of coarser members (month, year)
  coarse_hi          DATE,
  span_lo            DATE,                 -- union of all members
  span_hi            DATE,
  negated            BOOLEAN,
  factual            BOOLEAN,
  n_members          INTEGER,
  rep_confidence     DOUBLE
);

CREATE TABLE cluster_members (
  doc_id     VARCHAR,
  event_id   VARCHAR,
  cluster_id VARCHAR,
  n          INTEGER,                      -- position in the cluster: 1 founded it
  score      DOUBLE,
  reason     VARCHAR,
  PRIMARY KEY (doc_id, event_id)
);

-- a record that could not be read or analyzed: never dropped silently
CREATE TABLE failures (
  origin      VARCHAR,
  doc_id      VARCHAR,
  stage       VARCHAR,
  reason      VARCHAR,
  ingested_at TIMESTAMP,
  PRIMARY KEY (origin, reason)
);
