-- Teams across a library network: the library a member of several works in (remembered per
-- user), whether they want notifications, and one-statement ownership hand-over.

ALTER TABLE users ADD COLUMN current_library_id INTEGER REFERENCES libraries(id) ON DELETE SET NULL;
ALTER TABLE users ADD COLUMN notifications INTEGER NOT NULL DEFAULT 1;

-- Making a member the owner demotes the previous owner and moves libraries.owner_id with it,
-- so a library never has two owners or none, whatever happens between two statements.
CREATE TRIGGER memberships_hand_over AFTER UPDATE OF role ON memberships
WHEN NEW.role = 'owner' AND OLD.role != 'owner'
BEGIN
    UPDATE memberships SET role = 'editor'
    WHERE library_id = NEW.library_id AND user_id != NEW.user_id AND role = 'owner';
    UPDATE libraries SET owner_id = NEW.user_id WHERE id = NEW.library_id;
END;
