-- Readers are no longer stored in plain form (see bot/readers.py).

-- Rows of people who never became staff: readers who came through a survey link (stored
-- with role 'staff' by earlier versions) and strangers. Rows that others point at stay.
-- An admin without a library loses only their language choice; the row comes back on their
-- next message.
DELETE FROM users
WHERE NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = users.id)
  AND NOT EXISTS (SELECT 1 FROM libraries WHERE owner_id = users.id)
  AND NOT EXISTS (SELECT 1 FROM strategies WHERE created_by = users.id)
  AND NOT EXISTS (SELECT 1 FROM surveys WHERE created_by = users.id)
  AND NOT EXISTS (SELECT 1 FROM invites WHERE created_by = users.id OR used_by = users.id);

-- Readers' conversation state was keyed by their Telegram id; it now lives under their
-- pseudonym. The old rows only held a half-typed "Other…" answer.
DELETE FROM fsm WHERE key LIKE '%:survey_reader' OR key LIKE '%:survey_reader:%';
