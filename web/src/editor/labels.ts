// Words shown on the diagram for people.

/** core is a type's name without the vendor: "Amazon VPC" → "vpc". */
function core(typeName: string): string {
  return typeName.replace(/^(Amazon|AWS)\s+/i, '').trim().toLowerCase();
}

/**
 * showsType tells whether a container's header should add its type's name
 * after its own name: not when one already says the other ("Amazon VPC" named
 * "Amazon VPC", "shop-vpc", or "VPC"), so the header does not repeat itself.
 */
export function showsType(name: string, typeName: string | undefined): boolean {
  if (!typeName) return false;
  const n = name.trim().toLowerCase();
  const t = core(typeName);
  if (!n || !t) return !!t;
  return !n.includes(t) && !t.includes(n) && n !== typeName.toLowerCase();
}
