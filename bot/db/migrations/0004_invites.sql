-- One-time invitations of colleagues into a library's team.

CREATE TABLE invites (
    token         TEXT PRIMARY KEY NOT NULL,     -- unguessable; travels in a t.me deep link
    library_id    INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
    created_by    INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    used_by       INTEGER REFERENCES users(id),
    used_at       TEXT
);
