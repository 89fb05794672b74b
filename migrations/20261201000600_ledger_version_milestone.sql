-- A changed milestone reaches the month's entries still in draft as a new entry version (issue 12
-- review): the entry's version is bumped so a pending save made against the old milestone is refused,
-- and ledger_entry_versions records it with its own action, 'milestone'.
ALTER TABLE ledger_entry_versions DROP CONSTRAINT ledger_entry_versions_action_check;
ALTER TABLE ledger_entry_versions ADD CONSTRAINT ledger_entry_versions_action_check
  CHECK (action IN ('create', 'save', 'submit', 'accept', 'return', 'escalate', 'milestone'));
