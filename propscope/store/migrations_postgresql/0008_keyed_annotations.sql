-- Annotations keyed by name (issue 15): version 1 held each span as a positional array, read back as
-- `Entity(*row)`, so a field added to a span type would have misread every stored article. Version 2 names
-- each layer's fields once ({"fields": [...], "rows": [...]}) under the Article field's name, and the title
-- and dateline offsets by name; store/codec.py reads it. json, not jsonb: each value's text is copied as
-- written and keys keep their order, so every article reads back exactly as before. An empty layer becomes
-- null, which the reader takes as no spans; `kind` goes (input_kind holds it).
UPDATE articles SET annotations = (
  SELECT json_build_object(
    'v', 2,
    'title_start', a -> 'title' -> 0,
    'title_end', a -> 'title' -> 1,
    'body_start', a -> 'body_start',
    'dateline', CASE WHEN json_typeof(a -> 'dateline') = 'array' THEN json_build_object('start',
        a -> 'dateline' -> 0, 'end', a -> 'dateline' -> 1) END,
    'relayed_from', CASE WHEN json_typeof(a -> 'relays') = 'array' THEN CASE WHEN json_array_length(a -> 'relays') > 0
        THEN json_build_object('fields', '["outlet","form","start","end"]'::json, 'rows', a -> 'relays') END END,
    'furniture', CASE WHEN json_typeof(a -> 'furniture') = 'array' THEN CASE WHEN json_array_length(a -> 'furniture') > 0
        THEN json_build_object('fields', '["kind","start","end"]'::json, 'rows', a -> 'furniture') END END,
    'quotes', CASE WHEN json_typeof(a -> 'quotes') = 'array' THEN CASE WHEN json_array_length(a -> 'quotes') > 0
        THEN json_build_object('fields', '["kind","start","end"]'::json, 'rows', a -> 'quotes') END END,
    'entities', CASE WHEN json_typeof(a -> 'entities') = 'array' THEN CASE WHEN json_array_length(a -> 'entities') > 0
        THEN json_build_object('fields', '["start","end","type","canonical","country","confidence","source"]'::json, 'rows', a -> 'entities') END END,
    'techniques', CASE WHEN json_typeof(a -> 'techniques') = 'array' THEN CASE WHEN json_array_length(a -> 'techniques') > 0
        THEN json_build_object('fields', '["start","end","technique","score"]'::json, 'rows', a -> 'techniques') END END,
    'epithets', CASE WHEN json_typeof(a -> 'epithets') = 'array' THEN CASE WHEN json_array_length(a -> 'epithets') > 0
        THEN json_build_object('fields', '["start","end","target_country","kind"]'::json, 'rows', a -> 'epithets') END END,
    'hostility', a -> 'hostility',
    'meta', a -> 'meta'
)::text
  FROM (SELECT annotations::json AS a) AS old
)
WHERE annotations::json ->> 'v' IS NULL;
UPDATE article_versions SET annotations = (
  SELECT json_build_object(
    'v', 2,
    'title_start', a -> 'title' -> 0,
    'title_end', a -> 'title' -> 1,
    'body_start', a -> 'body_start',
    'dateline', CASE WHEN json_typeof(a -> 'dateline') = 'array' THEN json_build_object('start',
        a -> 'dateline' -> 0, 'end', a -> 'dateline' -> 1) END,
    'relayed_from', CASE WHEN json_typeof(a -> 'relays') = 'array' THEN CASE WHEN json_array_length(a -> 'relays') > 0
        THEN json_build_object('fields', '["outlet","form","start","end"]'::json, 'rows', a -> 'relays') END END,
    'furniture', CASE WHEN json_typeof(a -> 'furniture') = 'array' THEN CASE WHEN json_array_length(a -> 'furniture') > 0
        THEN json_build_object('fields', '["kind","start","end"]'::json, 'rows', a -> 'furniture') END END,
    'quotes', CASE WHEN json_typeof(a -> 'quotes') = 'array' THEN CASE WHEN json_array_length(a -> 'quotes') > 0
        THEN json_build_object('fields', '["kind","start","end"]'::json, 'rows', a -> 'quotes') END END,
    'entities', CASE WHEN json_typeof(a -> 'entities') = 'array' THEN CASE WHEN json_array_length(a -> 'entities') > 0
        THEN json_build_object('fields', '["start","end","type","canonical","country","confidence","source"]'::json, 'rows', a -> 'entities') END END,
    'techniques', CASE WHEN json_typeof(a -> 'techniques') = 'array' THEN CASE WHEN json_array_length(a -> 'techniques') > 0
        THEN json_build_object('fields', '["start","end","technique","score"]'::json, 'rows', a -> 'techniques') END END,
    'epithets', CASE WHEN json_typeof(a -> 'epithets') = 'array' THEN CASE WHEN json_array_length(a -> 'epithets') > 0
        THEN json_build_object('fields', '["start","end","target_country","kind"]'::json, 'rows', a -> 'epithets') END END,
    'hostility', a -> 'hostility',
    'meta', a -> 'meta'
)::text
  FROM (SELECT annotations::json AS a) AS old
)
WHERE annotations::json ->> 'v' IS NULL;
