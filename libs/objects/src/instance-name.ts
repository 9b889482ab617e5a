// Nova's `instance.name`: the hypervisor-side name, from instance_name_template. The
// template is printf-style on the id ('instance-%08x'), or names fields ('%(uuid)s'); when
// a field it needs is not set (an instance not yet created has no id), the name is the uuid.

const SPEC = /%(?:\((\w+)\))?(0?)(\d*)([sdx%])/g;

interface NameSource {
  obj_attr_is_set(name: string): boolean;
  obj_get(name: string): unknown;
}

function pad(text: string, width: string, zero: string): string {
  const w = Number(width || 0);
  return text.length >= w ? text : (zero ? '0' : ' ').repeat(w - text.length) + text;
}

export function formatInstanceName(template: string, inst: NameSource): string {
  const uuid = inst.obj_attr_is_set('uuid') ? String(inst.obj_get('uuid')) : '';
  let missing = false;
  const name = template.replace(SPEC, (_all, key: string | undefined, zero: string, width: string, conv: string) => {
    if (conv === '%') return '%';
    const field = key ?? 'id';
    let value: unknown;
    try {
      value = inst.obj_attr_is_set(field) ? inst.obj_get(field) : undefined;
    } catch {
      value = undefined; // not a field of Instance: Nova's KeyError, which falls back to the uuid
    }
    if (value === undefined || value === null) {
      missing = true;
      return '';
    }
    if (conv === 's') return pad(String(value), width, '');
    const n = Number(value);
    if (!Number.isInteger(n)) {
      missing = true;
      return '';
    }
    return pad(conv === 'x' ? n.toString(16) : String(n), width, zero);
  });
  return missing ? uuid : name;
}
