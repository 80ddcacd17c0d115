-- Teams across a library network: the library a member of several works in (remembered per
-- user), whether they want notifications, and one-statement ownership hand-over.

ALTER TABLE users ADD COLUMN current_library_id INTEGER REFERENCES libraries(id) ON DELETE SET NULL;
ALTER TABLE users ADD COLUMN notifications INTEGER NOT NULL DEFAULT 1;

-- Handing over is one UPDATE of libraries.owner_id; the memberships follow in the same
-- statement (the new owner becomes 'owner', the previous one 'editor'), so a library never
-- has two owners or none, whatever happens between two statements.
CREATE TRIGGER libraries_hand_over AFTER UPDATE OF owner_id ON libraries
WHEN NEW.owner_id != OLD.owner_id
BEGIN
    UPDATE memberships SET role = 'editor'
    WHERE library_id = NEW.id AND user_id != NEW.owner_id AND role = 'owner';
    UPDATE memberships SET role = 'owner' WHERE library_id = NEW.id AND user_id = NEW.owner_id;
END;
