-- Name search that folds: any script, accents ignored, and the letters that have no accent to
-- drop (ł ø ß đ æ œ þ ı …) spelt out, so Lukasz finds Łukasz, Zoe finds Zoë, and 王小明, مرحبا and
-- שלום are found at all (the word table this replaces kept only a-z and 0-9).
-- One FTS5 row per family (rowid = the family's id): its reference, spelt the ways it is typed
-- (f0012 f12 0012 12), then the adults' and children's names, with the letters above replaced
-- exactly as models/storage/families.py SPECIAL_LETTERS does for new rows and for queries.
-- unicode61 then lower-cases and removes diacritics itself. secure-delete: a disposed family's
-- names leave the index's pages, not only its lookups.
CREATE VIRTUAL TABLE family_names USING fts5(
    terms, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
INSERT INTO family_names (family_names, rank) VALUES ('secure-delete', 1);
INSERT INTO family_names (rowid, terms)
SELECT f.id, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(('f' || substr(f.reference, 3) || ' f' || f.id || ' ' || substr(f.reference, 3) || ' ' || f.id || ' ' || coalesce((SELECT group_concat(full_name, ' ') FROM family_adults a WHERE a.family_id = f.id), '') || ' ' || coalesce((SELECT group_concat(full_name, ' ') FROM family_children c WHERE c.family_id = f.id), '')), 'ł', 'l'), 'Ł', 'L'), 'ø', 'o'), 'Ø', 'O'), 'ß', 'ss'), 'ẞ', 'SS'), 'đ', 'd'), 'Đ', 'D'), 'ð', 'd'), 'Ð', 'D'), 'æ', 'ae'), 'Æ', 'AE'), 'œ', 'oe'), 'Œ', 'OE'), 'þ', 'th'), 'Þ', 'TH'), 'ı', 'i'), 'ħ', 'h'), 'Ħ', 'H'), 'ŧ', 't'), 'Ŧ', 'T'), 'ŀ', 'l'), 'Ŀ', 'L')
FROM families f;
DROP TABLE family_search;
