-- Delivery: pauses (session-wide and per candidate), server heartbeat for outage compensation,
-- enrolled workstations, seat moves.

-- A pause interval stops the clock: registration_id NULL = the whole session (power or network failure),
-- else one candidate (failed PC, seat move). ended_at NULL = still paused.
CREATE TABLE pauses (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  registration_id INTEGER REFERENCES registrations(id),
  kind TEXT NOT NULL CHECK (kind IN ('session', 'candidate', 'seat-move', 'server-outage')),
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  reason TEXT NOT NULL,
  started_by TEXT NOT NULL,
  ended_by TEXT
);
CREATE INDEX pauses_session ON pauses (session_id, registration_id);

-- Written every few seconds while the server runs; on start-up the gap since the last beat is the outage.
CREATE TABLE server_heartbeat (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);

-- A proctor enrols the browser at each seat; its token ties logins to that seat.
CREATE TABLE workstations (
  id INTEGER PRIMARY KEY,
  room_id INTEGER NOT NULL REFERENCES rooms(id),
  seat_no INTEGER NOT NULL,
  label TEXT,
  enrolled_by TEXT NOT NULL,
  enrolled_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE UNIQUE INDEX workstations_active_seat ON workstations (room_id, seat_no) WHERE revoked_at IS NULL;

CREATE TABLE seat_moves (
  id INTEGER PRIMARY KEY,
  registration_id INTEGER NOT NULL REFERENCES registrations(id),
  from_seat INTEGER NOT NULL,
  to_seat INTEGER NOT NULL,
  reason TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  at INTEGER NOT NULL
);
