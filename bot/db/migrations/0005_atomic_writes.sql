-- Writes that belong together happen in one statement: several updates share one
-- connection, so two statements of one update are not atomic against a crash between them.

-- A new library always has its owner as a member.
CREATE TRIGGER libraries_owner_membership AFTER INSERT ON libraries
BEGIN
    INSERT INTO memberships (library_id, user_id, role) VALUES (NEW.id, NEW.owner_id, 'owner')
    ON CONFLICT (library_id, user_id) DO NOTHING;
END;

-- A strategy is as recent as its latest answer.
CREATE TRIGGER answers_touch_strategy_on_insert AFTER INSERT ON answers
BEGIN
    UPDATE strategies SET updated_at = max(updated_at, NEW.updated_at) WHERE id = NEW.strategy_id;
END;

CREATE TRIGGER answers_touch_strategy_on_update AFTER UPDATE OF value ON answers
BEGIN
    UPDATE strategies SET updated_at = max(updated_at, NEW.updated_at) WHERE id = NEW.strategy_id;
END;
