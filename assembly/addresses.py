"""A postal address typed on one line, split into the parts schema.org and GoGoCarto name.

People write "12 rue des Tisserands, 59000 Lille" (or with a line break, or the code after the
town). A French postal code is five digits; what follows it on the same part is the town, what
comes before is the street. Without a code the last comma-separated part is taken as the town
when there are several, and the whole text stays the street otherwise: nothing is ever lost.
"""

import re

_POSTAL_CODE = re.compile(r"(?<!\d)(\d{5})(?!\d)")


def split_address(text: str) -> dict:
    """{"streetAddress", "postalCode", "addressLocality"}; the empty ones are ''."""
    text = " ".join((text or "").replace("\n", ", ").split())
    if not text:
        return {"streetAddress": "", "postalCode": "", "addressLocality": ""}
    parts = [part.strip() for part in text.split(",") if part.strip()]
    for index in range(len(parts) - 1, -1, -1):
        match = _POSTAL_CODE.search(parts[index])
        if match:
            before = parts[index][: match.start()].strip(" -")
            after = parts[index][match.end() :].strip(" -")
            street = [*parts[:index], before] if before else parts[:index]
            locality = after or ", ".join(parts[index + 1 :])
            return {
                "streetAddress": ", ".join(street),
                "postalCode": match.group(1),
                "addressLocality": locality,
            }
    if len(parts) > 1:
        return {
            "streetAddress": ", ".join(parts[:-1]),
            "postalCode": "",
            "addressLocality": parts[-1],
        }
    return {"streetAddress": text, "postalCode": "", "addressLocality": ""}
