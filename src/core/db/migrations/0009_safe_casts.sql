-- Filters compare custom attributes, which are stored as JSON text, as the type their definition
-- gives. A stored value that does not read as that type (a "number" attribute holding "abc", a
-- "date" holding "2024-02-30") matches nothing instead of failing the whole query.
create function confab_to_numeric(value text) returns numeric language plpgsql immutable as $$
begin
  return value::numeric;
exception when others then
  return null;
end
$$;

create function confab_to_boolean(value text) returns boolean language plpgsql immutable as $$
begin
  return value::boolean;
exception when others then
  return null;
end
$$;

create function confab_to_date(value text) returns date language plpgsql immutable as $$
begin
  return value::date;
exception when others then
  return null;
end
$$;
