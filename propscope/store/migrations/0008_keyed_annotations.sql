-- Annotations keyed by name (issue 15): version 1 held each span as a positional array, read back as
-- `Entity(*row)`, so a field added to a span type would have misread every stored article. Version 2 names
-- each layer's fields once ({"fields": [...], "rows": [...]}) under the Article field's name, and the title
-- and dateline offsets by name; store/codec.py reads it. The rows keep their values as written (numbers
-- are copied as text, not re-rendered), so every article reads back exactly as before. An empty layer
-- becomes null, which the reader takes as no spans; `kind` goes (input_kind holds it).
UPDATE articles SET annotations = json_object(
    'v', 2,
    'title_start', json(annotations -> '$.title[0]'),
    'title_end', json(annotations -> '$.title[1]'),
    'body_start', json(annotations -> '$.body_start'),
    'dateline', CASE WHEN json_type(annotations, '$.dateline') = 'array' THEN json_object('start',
        json(annotations -> '$.dateline[0]'), 'end', json(annotations -> '$.dateline[1]')) END,
    'relayed_from', CASE WHEN json_array_length(annotations, '$.relays') > 0 THEN json_object('fields',
        json('["outlet","form","start","end"]'), 'rows', json(annotations -> '$.relays')) END,
    'furniture', CASE WHEN json_array_length(annotations, '$.furniture') > 0 THEN json_object('fields',
        json('["kind","start","end"]'), 'rows', json(annotations -> '$.furniture')) END,
    'quotes', CASE WHEN json_array_length(annotations, '$.quotes') > 0 THEN json_object('fields',
        json('["kind","start","end"]'), 'rows', json(annotations -> '$.quotes')) END,
    'entities', CASE WHEN json_array_length(annotations, '$.entities') > 0 THEN json_object('fields',
        json('["start","end","type","canonical","country","confidence","source"]'), 'rows', json(annotations -> '$.entities')) END,
    'techniques', CASE WHEN json_array_length(annotations, '$.techniques') > 0 THEN json_object('fields',
        json('["start","end","technique","score"]'), 'rows', json(annotations -> '$.techniques')) END,
    'epithets', CASE WHEN json_array_length(annotations, '$.epithets') > 0 THEN json_object('fields',
        json('["start","end","target_country","kind"]'), 'rows', json(annotations -> '$.epithets')) END,
    'hostility', json(annotations -> '$.hostility'),
    'meta', json(annotations -> '$.meta')
)
WHERE json_extract(annotations, '$.v') IS NULL;
UPDATE article_versions SET annotations = json_object(
    'v', 2,
    'title_start', json(annotations -> '$.title[0]'),
    'title_end', json(annotations -> '$.title[1]'),
    'body_start', json(annotations -> '$.body_start'),
    'dateline', CASE WHEN json_type(annotations, '$.dateline') = 'array' THEN json_object('start',
        json(annotations -> '$.dateline[0]'), 'end', json(annotations -> '$.dateline[1]')) END,
    'relayed_from', CASE WHEN json_array_length(annotations, '$.relays') > 0 THEN json_object('fields',
        json('["outlet","form","start","end"]'), 'rows', json(annotations -> '$.relays')) END,
    'furniture', CASE WHEN json_array_length(annotations, '$.furniture') > 0 THEN json_object('fields',
        json('["kind","start","end"]'), 'rows', json(annotations -> '$.furniture')) END,
    'quotes', CASE WHEN json_array_length(annotations, '$.quotes') > 0 THEN json_object('fields',
        json('["kind","start","end"]'), 'rows', json(annotations -> '$.quotes')) END,
    'entities', CASE WHEN json_array_length(annotations, '$.entities') > 0 THEN json_object('fields',
        json('["start","end","type","canonical","country","confidence","source"]'), 'rows', json(annotations -> '$.entities')) END,
    'techniques', CASE WHEN json_array_length(annotations, '$.techniques') > 0 THEN json_object('fields',
        json('["start","end","technique","score"]'), 'rows', json(annotations -> '$.techniques')) END,
    'epithets', CASE WHEN json_array_length(annotations, '$.epithets') > 0 THEN json_object('fields',
        json('["start","end","target_country","kind"]'), 'rows', json(annotations -> '$.epithets')) END,
    'hostility', json(annotations -> '$.hostility'),
    'meta', json(annotations -> '$.meta')
)
WHERE json_extract(annotations, '$.v') IS NULL;
