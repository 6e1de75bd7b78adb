"""The registry of coach rules: one entry per way a risk shows up in a post.

Patterns read the lower-cased, normalised post (the tone rules read it with leetspeak
undone). Messages speak to a teen in one sentence; each rule names the lesson that
teaches the skill. Category ids are a public contract (DESIGN §4).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from datetime import UTC, datetime

import phonenumbers

from learner.coach.engine import Rule, fast, occurs, words
from learner.coach.text import Text
from learner.core.marks import N_

# The platform's own region comes first (COACH_PHONE_REGION, US by default); the others
# catch numbers written in the formats of other English-speaking countries.
PHONE_REGIONS = ["US", "GB", "AU", "CA", "IE", "NZ", "DE", "IN"]


def set_phone_region(region: str) -> None:
    """Read phone numbers in this region's format first (set once, at start-up)."""
    region = region.upper()
    PHONE_REGIONS[:] = [region, *(r for r in PHONE_REGIONS if r != region)]


MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
TLDS = (
    "com|org|net|edu|gov|io|co|uk|us|ca|au|nz|ie|de|fr|es|it|nl|me|info|biz|mail|"
    "email|ac|sch|gmail|yahoo|hotmail|outlook|icloud|proton"
)
STREET_TYPES = (
    "street|st|avenue|ave|road|rd|lane|ln|drive|dr|court|ct|boulevard|blvd|way|place|pl|"
    "close|cl|crescent|cres|terrace|tce|parkway|pkwy|circle|cir|highway|hwy|square|sq|grove|"
    "gardens|gdns|row|mews|walk|trail|loop|hill|view|parade|pde|esplanade|quay|wharf"
)
ADDRESS_CONTEXT = re.compile(
    r"\bliv(?:e|es|ing)\b|\b(?:my|our|ours|mine|me|us|we|i)\b|\bhome\b|\bhouse\b|"
    r"address|moved|move in|send|mail|post (?:it|them)|parcel|package|deliver|bring|drop|"
    r"pick ?up|come over|\bparty\b|sleepover|sleep over|housewarming|\bvisit|\bdoor\b|"
    r"santa|welcome|new place|apartment|\bflat\b|"
    r"\b[a-z]{1,2}\d{1,2}[a-z]? \d[a-z]{2}\b|\b(?:vic|nsw|qld|wa|sa|tas|act|nt) \d{4}\b|"
    r"\b\d{5}\b"
)
INSULTS = (
    "idiot|idiots|stupid|loser|losers|dumb|dumbass|moron|morons|ugly|fat|pig|fatso|freak|"
    "freaks|worthless|pathetic|trash|garbage|disgusting|jerk|weirdo|creep|creepy|clown|"
    "cow|retard|retarded|fag|faggot|slut|whore|bitch|bastard|dick|prick|twat|skank|"
    "useless|failure|nobody|nerd|dork|scum|waste of space|waste of air|"
    "piece of (?:crap|trash|garbage)|coward|liar|snake|two-faced|rat|snitch|psycho|crybaby|"
    "wimp|brat|disgrace|embarrassment|gross|smelly|stinky|dumbest|ugliest|stupidest|muppet|"
    "numpty|pillock|tosser|wanker|knobhead|dickhead|cunt|bellend|plonker|donkey|mong"
)

# The first word of each insult ("waste" for "waste of space") gates the tone rules.
INSULT_TOKENS = frozenset(
    phrase.split()[0] for phrase in re.sub(r"\(\?:[^)]*\)", "", INSULTS).split("|")
)
STREET_TOKENS = frozenset(STREET_TYPES.split("|")) | {
    "rue",
    "av",
    "boulevard",
    "bd",
    "chemin",
    "via",
    "calle",
}

# Shared lesson ids (files in lessons/modules/en).
PERSONAL = "personal-information"
SPAM = "social-not-spam"
NETIQUETTE = "netiquette"
PUBLIC = "public-by-default"


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _luhn(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


DATE_LIKE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$")
TIME_LIKE = re.compile(r"^\d{1,2}[:.]\d{2}")


def _possible_phone(match: re.Match, text: Text) -> bool:
    candidate = match.group(0).strip()
    digits = _digits(candidate)
    if not 7 <= len(digits) <= 15 or DATE_LIKE.match(candidate) or TIME_LIKE.match(candidate):
        return False
    if len(set(digits)) == 1:
        return False
    before = text.lower[max(0, match.start() - 2) : match.start()]
    if any(mark in before for mark in "$£€#"):
        return False
    # A number written twice in a post is parsed once.
    seen = text.__dict__.setdefault("_phones", {})
    found = seen.get(candidate)
    if found is None:
        found = seen[candidate] = _parses_as_phone(candidate)
    return found


def _parses_as_phone(candidate: str) -> bool:
    for region in PHONE_REGIONS:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return True
    return False


def _card_number(match: re.Match, text: Text) -> bool:
    digits = _digits(match.group(0))
    return 13 <= len(digits) <= 19 and _luhn(digits)


def _plausible_birth_year(match: re.Match, text: Text) -> bool:
    year = match.group("year")
    if len(year) == 2:
        return True
    return 1900 <= int(year) <= datetime.now(UTC).year


# What makes a date a birth date: the birthday named, or an age beside it.
BIRTH_WORDS = re.compile(r"\bborn\b|\bbirth|b-?day|\bdob\b|\bcumple")
AGES = (
    r"(?:\d{1,3}|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety)"
)
AGE_SAID = re.compile(
    rf"\bturn(?:s|ed|ing)?\s+{AGES}\b|\b{AGES}\s+(?:today|tomorrow)\b"
    rf"|\b{AGES}\s+years?\s+(?:old|young|ago)\b|\bhappy\s+\d{{1,3}}(?:st|nd|rd|th)\b"
    rf"|\bsweet\s+(?:16|sixteen)\b|\b(?:gonna|going to|will|i'?ll)\s+be\s+{AGES}\b"
    r"|\b\d{1,3}(?:st|nd|rd|th)\s+birthday|(?:'|\b(?:19|20))\d{2}\s+bab(?:y|ies)\b"
    r"|\b(?:leap year|new year'?s) bab(?:y|ies)\b|\b(?:scorpio|sagittarius|capricorn|"
    r"aquarius|pisces|aries|taurus|gemini|cancer|leo|virgo|libra)\b|\bhad me\b"
)
BIRTH_CONTEXT = re.compile(BIRTH_WORDS.pattern + "|" + AGE_SAID.pattern)
# One of these words is in every post BIRTH_CONTEXT finds something in.
BIRTH_TOKENS = frozenset(
    """born birth birthday birthdays bday bdays b dob cumple cumpleanos turn turns turned
    turning today tomorrow year years happy sweet be baby babies scorpio sagittarius
    capricorn aquarius pisces aries taurus gemini cancer leo virgo libra had birthdate
    old young ago ll""".split()
)


def _said(pattern: re.Pattern, text: Text) -> bool:
    """Whether a pattern occurs in the post, searched once per post and pattern."""
    seen = text.__dict__.setdefault("_said", {})
    found = seen.get(pattern)
    if found is None:
        found = seen[pattern] = occurs(_fast(pattern), text.lower)
    return found


@functools.cache
def _fast(pattern: re.Pattern):
    """The pattern split and gated on its literals (the same matches, found faster)."""
    return fast(pattern)


def _date_with_age(match: re.Match, text: Text) -> bool:
    """A full date with a plausible birth year and the birthday named or an age said
    somewhere in the post, or a day and month with an age said."""
    year = match.group("year") or match.group("year2") or match.group("year3")
    if year:
        year = year.lstrip("'")
        plausible = len(year) == 2 or 1900 <= int(year) <= datetime.now(UTC).year
        return plausible and _said(BIRTH_CONTEXT, text)
    return _said(AGE_SAID, text)


# "1939-2026", "2023 - 2025": years, not a phone number.
YEAR_RANGE = re.compile(r"\(?(?:19|20)\d{2}\s?[-–/]\s?(?:19|20)\d{2}\)?")


PROMO_FILLER = re.compile(
    r"https?://\S+|www\.\S+|\b[a-z0-9-]+\.(?:com|net|org|ly|io|co|shop|store|link|me)/\S*|"
    r"\b(?:check|it|this|out|buy|now|click|here|link|in|bio|visit|shop|deal|deals|sale|"
    r"discount|off|code|today|only|limited|offer|free|shipping|get|yours|new|hot|"
    r"order|grab|go|don't|miss|at|on|my|the|a|an|and|to|for|site|store|website|page|"
    r"limited|time|drop|drops|just|dropped|live|up|everything|all|stock|restock|"
    r"back|sizes|selling|fast)\b|"
    r"[^a-z0-9\s]"
)
URL = re.compile(
    r"https?://\S+|www\.\S+|\b(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl)/\S+|"
    r"\b[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+/\S*"
)


FUNCTION_WORDS = frozenset(
    "to go at in on the and of for with my is was are i we you it this that or but from "
    "by as be til till until tonight today tomorrow am pm minutes mins hours hrs days weeks "
    "years people times".split()
)


def _street_name_words(match: re.Match, text: Text) -> bool:
    """Street names are names: 'go to St Bride's' is not an address."""
    words_ = re.findall(r"[a-zà-ÿ'.-]+", match.group(0))[:-1]
    return not any(w in FUNCTION_WORDS for w in words_)


def _only_a_link(match: re.Match, text: Text) -> bool:
    rest = PROMO_FILLER.sub(" ", URL.sub(" ", text.lower))
    return len(rest.split()) <= 2


PUSH = re.compile(
    r"https?://|www\.|\.com\b|check out|visit|like my|follow (?:me|us) on|subscribe|"
    r"join my|join our|download|my (?:website|site|page|channel|shop|store|newsletter|blog|"
    r"podcast|app|course|profile|youtube|other account|e-?book)|sign up|use code|dm me for|"
    r"link(?:ed)? in (?:my )?bio|in my bio|find me|connect on|let'?s connect|"
    r"[a-z0-9-]+\.(?:com|org|net)\b|my (?:depop|etsy|shop|store|merch)|code [a-z0-9]+"
)


# What an automated message pushes once it has said hello.
PITCH = re.compile(
    r"interested|\breply\b|\bdm (?:me|us)\b|\bdm to\b|shop|store|\bcode\b|\blink\b|"
    r"check out|\bsell|offer|opportunity|business|income|\bbook a\b|\b(?:a|quick|\d+-min) call\b|"
    r"(?:join|building) (?:my|our|a) team|proposal|click|claim|\bsub to\b|subscribe|"
    r"follow (?:me|us|my|our)\b|follow back my|\badd my\b|\bjoin (?:my|our)\b|\bfree\b|"
    r"% off|half off|coaching|catalog|\bi help\b|can help you|agency|ambassador|patreon|merch|"
    r"linktree|prize|\bearn|\$|\bapply\b|\bboost\b|\bservices\b|\bsample\b|\bcv\b|"
    r"\bmoney\b|where are you from|calendly|notifications|reaching out"
)


def _pushes_something(match: re.Match, text: Text) -> bool:
    return PUSH.search(text.lower) is not None


HANDLE = re.compile(r"(?<![\w.])@[a-z0-9_.]{1,30}")


def _many_handles(match: re.Match, text: Text) -> bool:
    return len(set(HANDLE.findall(text.lower))) >= 5


DESCRIPTIONS = frozenset(
    "a an the too not very so my your same still long short easy hard strong weak secret "
    "changed different correct wrong protected required needed reset expired on in for by "
    "it that this literally basically just like what where how something ur his her their "
    "our mine yours literally actually".split()
)


def _secret_value(match: re.Match, text: Text) -> bool:
    """The word after 'password is' is the secret itself, not a description of it."""
    value = re.split(r"[\s:=\"'“”-]+", match.group(0).strip())[-1]
    return value not in DESCRIPTIONS


NAME_STOP = frozenset(
    "the a an my our at to from of in this that every no any best worst local public "
    "private what which same different another new old his her their your go going went "
    "love miss hate visit visited near next last first sunday summer driving night art dance "
    "music swim swimming cooking language flight film law medical business nursing "
    "online home".split()
)
BARE_KINDS = frozenset(
    {"high", "primary", "secondary", "college", "prep", "school", "grammar", "university", "uni"}
)
KIND_WORDS = frozenset(
    "high middle junior senior elementary primary secondary grammar prep sixth form "
    "catholic christian community".split()
)
COMPOUND_KINDS = frozenset(
    {
        "high school",
        "middle school",
        "junior high",
        "elementary school",
        "primary school",
        "secondary school",
        "grammar school",
        "prep school",
        "catholic school",
        "christian school",
        "community college",
        "sixth form",
    }
)
# Words before a bare kind that make something else of it ("Sky High", "Meal Prep").
NOT_SCHOOL_BEFORE = {
    "high": frozenset(
        "all-time time sky mile knee waist ankle record fly flying stay get getting riding "
        "aim sugar feeling feel".split()
    ),
    "prep": frozenset("meal test sat act exam food lunch dinner breakfast interview".split()),
    "academy": frozenset("khan umbrella police film".split()),
}
OWN_SCHOOL_LEAD = re.compile(
    r"(?:go|goes|going|went) to\s*$|attend(?:s|ing)?\s*$|"
    r"(?:i'?m|im|i am) (?:at|in year \d+ at)\s*$"
)


def _own_school_name(match: re.Match, text: Text) -> bool:
    """A school's proper name: not 'my high school', and a bare 'High' only if capitalised."""
    words_ = match.group("name").split()
    while words_ and words_[0] in NAME_STOP:
        words_.pop(0)
    if not words_ or words_[-1] in NAME_STOP:
        return False
    if words_[-1] in NOT_SCHOOL_BEFORE.get(match.group("kind"), ()):
        return False
    if f"{words_[-1]} {match.group('kind')}" in COMPOUND_KINDS:
        # "First Day Of High School" read as the name "...Of High" and the kind "School":
        # the name is what comes before "High School".
        words_.pop()
        return bool(words_) and words_[-1] not in NAME_STOP
    if match.group("kind") in BARE_KINDS:
        lead_end = match.end("name") - len(" ".join(words_)) - 1
        if OWN_SCHOOL_LEAD.search(text.lower[max(0, lead_end - 16) : lead_end]):
            return True
        start = match.start("kind")
        original = text.normal[start : start + 1]
        name_start = match.end("name") - len(" ".join(words_)) - 1
        return original.isupper() and text.normal[name_start : name_start + 1].isupper()
    return True


def _school_span(match: re.Match, text: Text) -> tuple[int, int]:
    """The school's name and kind ('Lincoln High'), without the words that led to it:
    the words just before the kind, back to a stop word (or an uncapitalised word when
    the name is written with capitals)."""
    base = match.start("name")
    found = [(base + w.start(), w.group()) for w in re.finditer(r"\S+", match.group("name"))]
    capitals = any(text.normal[at : at + 1].isupper() for at, _word in found)
    start = found[-1][0]
    for at, word in reversed(found):
        if word in NAME_STOP or (capitals and not text.normal[at : at + 1].isupper()):
            break
        start = at
    return start, match.end("kind")


SCHOOL_COUNTER = re.compile(
    r"\bvs\.?\b|against|\bbeat\b|lost to|played|visited|"
    r"went to (?:see|watch)|news|report|rival|opponents?|used to go|"
    r"my (?:little |big |older |younger |baby |best )?"
    r"(?:mum|mom|dad|brother|sister|cousin|friend|aunt|uncle)s?"
    r"(?:'s|\s+(?:goes|go|attends|went|is at|started))|"
    r"applying to|applied to|tour of|scenes?|movie|film|series|"
    r"episode|rewatch\w*|novel|\bbook\b|high school musical"
)
# The kinds that make a capitalised name a school on their own, whatever the words
# around it ("Go Lincoln High Tigers!"). A bare "School", "College" or "University"
# names law schools and universities as often as a teen's own school, and a bare
# "Primary" or "Secondary" names elections and colours, so those still need context.
SCHOOL_KINDS = (
    "junior high school|senior high school|high school|middle school|junior high|"
    "senior high|elementary school|elementary|primary school|secondary school|"
    "grammar school|preparatory school|prep school|prep|academy|intermediate school|"
    "junior school|sixth form college|sixth form|catholic school|christian school|high|hs|"
    "middle|collegiate|intermediate|montessori|preschool|nursery|juniors|secondary|primary|"
    "international|comp"
)
PROPER_NAME_WORD = re.compile(r"[^\W\d_][\w'&.-]*")
# Capitalised words that start a sentence or a title rather than a school's name.
NOT_SCHOOL_NAMES = (
    NAME_STOP
    | frozenset(
        "i i'm im we we're welcome bye goodbye hello hi survived surviving survive loved hated "
        "finished finishing started starting graduated graduating graduate skipping skipped "
        "leaving left missing back year day week freshman sophomore is was and or but so".split()
    )
    | KIND_WORDS
)
# ...and words after a bare "High" ("Kensington High Street", "High Five").
NOT_SCHOOL_AFTER_HIGH = frozenset(
    "street st road rd line five fives tea heels score scores noon tide chair jump ground "
    "speed quality definition res hopes".split()
)


def _proper_school_words(match: re.Match, text: Text) -> list[tuple[int, str]]:
    """The capitalised words just before a school kind, nearest last (none if the kind
    itself is written in lower case)."""
    kind = match.group(0)
    if not text.normal[match.start() : match.start() + 1].isupper():
        return []
    if kind == "hs" and text.normal[match.start() : match.end()] != "HS":
        return []
    before = text.normal[max(0, match.start() - 60) : match.start()]
    offset = match.start() - len(before)
    found: list[tuple[int, str]] = []
    for word in reversed(list(re.finditer(r"\S+", before))):
        value, lowered = word.group(), word.group().lower()
        if (
            len(found) == 4
            or not PROPER_NAME_WORD.fullmatch(value)
            or not value[0].isupper()
            or lowered.rstrip(".") in NOT_SCHOOL_NAMES
            or (value.endswith(".") and len(value) > 4)  # "...in Spain." ends a sentence
            or lowered in NOT_SCHOOL_BEFORE.get(kind, ())
        ):
            break
        found.append((offset + word.start(), value))
        if before[word.end() : word.end() + 1] not in ("", " "):
            break
    return found[::-1]


def _proper_school_name(match: re.Match, text: Text) -> bool:
    """A school's proper name: 'Roosevelt Middle School', 'Lincoln High', 'Maplewood Prep'."""
    if not _proper_school_words(match, text):
        return False
    if match.group(0) == "high":
        after = re.match(r"\s*([a-z]+)", text.lower[match.end() : match.end() + 12])
        return after is None or after.group(1) not in NOT_SCHOOL_AFTER_HIGH
    return True


def _proper_school_span(match: re.Match, text: Text) -> tuple[int, int]:
    """From the first word of the school's name to the end of its kind."""
    words_ = _proper_school_words(match, text)
    return (words_[0][0] if words_ else match.start()), match.end()


PERSON_NOUNS = frozenset(
    "kid guy girl boy teacher manager boss coworker co-worker teammate dude bro sis man "
    "woman lady ref referee coach sister brother cousin neighbour neighbor classmate "
    "roommate ex bf gf boyfriend girlfriend".split()
)
NOT_PEOPLE = frozenset(
    "this it that there what which who test game weather food class homework movie song "
    "show day plan idea update app phone wifi traffic lesson teacher's school life "
    "everything everyone nothing something music book week year ending exam".split()
)


def _aimed_at_someone(match: re.Match, text: Text) -> bool:
    """An insult aimed at a person: not at oneself, and a named target looks like a name."""
    target = match.group("target")
    if target in {"i", "im", "i'm", "i am", "i'n", "in"}:
        return False
    named = re.fullmatch(r"([a-z]+) (?:is|was)", target)
    if named is None:
        return True
    if text.lower[match.start() - 1 : match.start()] == "@":
        return True
    if named.group(1) in NOT_PEOPLE:
        return False
    return text.normal[match.start() : match.start() + 1].isupper()


PLACE = re.compile(
    r"\b(?:at|@|by|on|in|outside|near)\s+(?:the\s+)?(?:[a-z0-9'&.-]+\s+){0,3}?"
    r"(?:park|mall|library|cafe|café|coffee|beach|pool|gym|stadium|cinema|theat(?:er|re)|"
    r"station|stop|pizza|starbucks|field|rink|arena|fair|fest\w*|festival|store|shop|diner|"
    r"restaurant|burger\w*|court|bleachers|stage|floor|row|corner|street|st|ave|avenue|road|"
    r"rd|route|lane|wheel|center|centre|plaza|square|market|bar|club|lake|river|trail|"
    r"skate ?park|food court|arcade|bowling|church|hospital|airport|terminal|gate)\b"
    r"|\b(?:at|@)\s+[a-z]+'s\b|📍|\b(?:skate ?park|bus stop|food court|bleachers|"
    r"parking lot|playground|main stage|office|floor|queue|gig)\b|\bthe [a-z]+ (?:&|and) "
    r"[a-z]+\b"
)
HOME_AWAY_TIME = re.compile(
    r"for|until|till|\btil\b|all|this|weekend|week|days|nights|tonight|tomorrow|\bnow\b|"
    r"every|\bsun|\bmon|\btue|\bwed|\bthu|\bfri|\bsat|house|home|place|\d|holidays"
)


def _home_is_empty(match: re.Match, text: Text) -> bool:
    """An empty-home phrase, or someone away with a time span ('till Sunday', 'all week')."""
    phrase = match.group(0)
    if any(
        w in phrase
        for w in ("alone", "empty", "nobody", "no one", "noone", "to myself", "all mine", "just me")
    ):
        return True
    return HOME_AWAY_TIME.search(text.lower[match.end() : match.end() + 45]) is not None


COUNT = (
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|a few|a couple(?: of)?|"
    r"couple(?: of)?|few)"
)
DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# Going away, said as a plan for now: the trip itself ("going on vacation"), a departure
# ("leaving for Spain", "flying out") or being away ("we're away", "I'm out of town").
# The words a trip is told with: the trip rule looks only around them.
TRIP_TOKENS = frozenset(
    "vacation vacay holiday hols trip cruise getaway leaving leave flying fly "
    "flight away gone town abroad overseas travelling traveling "
    "heading headed off going driving".split()
)
TRIP = re.compile(
    r"\b(?:going|go|gone|headed|heading|off|leaving|leave|setting off|jetting off|away|"
    r"we'?re|we are|i'?m|i am|we'?ll be|i'?ll be)\s+on\s+(?:a |an |our |my |the |family )?"
    r"(?:vacation|vacay|holiday|hols|trip|cruise|road ?trip|getaway|ski trip)\b|"
    r"(?:^|[.!?]\s*)(?:on (?:a |an |our |my |the |family )?"
    r"(?:vacation|vacay|holiday|hols|trip|cruise|road ?trip|getaway)|gone|away|"
    r"out of town)\b|"
    r"\b(?:leaving|leave|leaves)\s+(?:for|to go to)\s+[a-z]+|"
    r"(?P<weak>\b(?:heading|headed|off|flying|driving|going) to [a-z]+(?:'s)?)|"
    r"\b(?:fly|flying|flies|jetting|heading|head|leaving|leave) out\b|\bleaving town\b|"
    r"\b(?:our|my) flight\b|"
    r"\b(?:we'?re|we are|i'?m|i am|we'?ll be|i'?ll be|we will be|i will be)\s+"
    r"(?:away|gone|out of town|abroad|overseas|travel(?:l)?ing)\b|"
    r"(?:^|[^\w\s']\s*|\b(?:and|so|we'?re|i'?m|we are|i am|finally|officially)\s+)"
    rf"leaving\b(?= (?:tomorrow|tmrw|tonight|today|this|on|first|in the morning|at \d|{DAY}))"
)
TRIP_LENGTH = re.compile(
    rf"\bfor (?:(?:{COUNT}|the (?:whole |entire |next )?|the next \w+|next|the rest of)\s*)?"
    r"(?:whole |entire )?(?:days?|weeks?|nights?|months?|weekend|summer|holidays?|break|"
    r"half[- ]term|christmas|easter)\b|"
    # "till Sunday", not "till 5" or "till midnight": that is an afternoon out.
    r"\b(?:until|till|til|through|thru)\b"
    r"(?! \d{1,2}(?:[:.]\d\d)?(?: ?[ap]m)?\b| (?:midnight|noon|late|close|dinner|lunch))|"
    r"\ball (?:week|weekend|summer|month|break)\b|won'?t be back|\bback (?:on|next|in|after)\b"
)
TRIP_TIME = re.compile(
    TRIP_LENGTH.pattern + "|"
    rf"\b(?:tomorrow|tmrw|tmr|tonight|today|this (?:weekend|week|morning|afternoon|evening|"
    rf"{DAY})|{DAY}|next week|in the morning|first thing|at \d|\d ?(?:am|pm)|"
    rf"in (?:{COUNT}) (?:hours?|days?))\b|see (?:you|ya|u) (?:all )?(?:in|when|soon)"
)
# Someone else's trip, a trip that is over, or one that is only a wish; the day's commute.
TRIP_COUNTER = re.compile(
    r"\bwas\b|\bwere\b|last (?:week|year|summer|month)|got back|just back|back from|"
    r"back home|came back|home from|\bago\b|"
    r"\bmy (?:friend|cousin|brother|sister|teacher|boss|neighbou?r)s?\b|"
    r"\b(?:our|the) (?:teacher|coach|boss)\b|\bsh?e'?s\b|\bhe'?s\b|\bthey'?re\b|"
    r"away (?:game|match|day|kit|fans|end)|\bwish\b|\bif only\b|\bsomeday\b|"
    r"\bone day\b|\bdream\b|field trip|school trip|"
    r"(?:for|to) (?:school|work|class|practice|the gym|church|bed|sleep|the (?:store|shop|"
    r"mall|library))\b|"
    r"leav\w* (?:the |this |my )?(?:chat|group|gc|team|club|job|server|house|party)\b"
)


def _trip_with_a_time(match: re.Match, text: Text) -> bool:
    """A trip announced with how long it lasts or when it starts ('for two weeks',
    'leaving tomorrow', 'all week'); 'heading to Paris' needs how long ('going to the
    mall tomorrow' is no trip)."""
    around = text.lower[max(0, match.start() - 40) : match.end() + 60]
    times = TRIP_LENGTH if match.group("weak") else TRIP_TIME
    return times.search(around) is not None


def _trip_span(match: re.Match, text: Text) -> tuple[int, int]:
    """The trip's words, without the punctuation or 'and' that led to them."""
    lead = re.match(r"[^a-z']*(?:(?:and|so|finally|officially) )?", match.group(0))
    return match.start() + lead.end(), match.end()


# What each category's findings say to the learner, and the lesson that teaches it.
ADVICE: dict[str, dict] = {
    "privacy.birthdate": {
        "severity": "high",
        "message": N_(
            "A full birth date with the year is one of the keys to your identity: "
            "people use it to guess passwords or pretend to be you."
        ),
        "suggestion": N_("Say 'my birthday is in March' and leave out the date and year."),
        "lesson": PERSONAL,
    },
    "privacy.phone": {
        "severity": "high",
        "message": N_(
            "A phone number lets anyone who sees this post call or text you, and find "
            "your other accounts."
        ),
        "suggestion": N_("Share your number privately with people you know, not in a post."),
        "lesson": PERSONAL,
    },
    "privacy.email": {
        "severity": "high",
        "message": N_(
            "An e-mail address in a post invites spam, scams and strangers into your inbox."
        ),
        "suggestion": N_("Ask people to message you here instead."),
        "lesson": PERSONAL,
    },
    "privacy.address": {
        "severity": "high",
        "message": N_("A home address tells strangers exactly where to find you."),
        "suggestion": N_("Send the address privately to the people you invite."),
        "lesson": PERSONAL,
    },
    "privacy.school": {
        "severity": "medium",
        "message": N_("Naming your school tells people where you are on most weekdays."),
        "suggestion": N_("Say 'at school' instead of naming it."),
        "lesson": PERSONAL,
    },
    "privacy.location": {
        "severity": "high",
        "message": N_("Saying where you are right now lets anyone who reads it turn up there."),
        "suggestion": N_("Post about the place after you have left."),
        "lesson": PERSONAL,
    },
    "privacy.away": {
        "severity": "high",
        "message": N_("Telling people your home is empty tells burglars when to come."),
        "suggestion": N_("Share the trip photos once you are back home."),
        "lesson": PERSONAL,
    },
    "privacy.credentials": {
        "severity": "high",
        "message": N_(
            "Anyone who reads a password, PIN or code can use it: keep it secret, even "
            "from friends."
        ),
        "suggestion": N_("Delete it from the post, and change the password or code now."),
        "lesson": PERSONAL,
    },
    "spam.ask": {
        "severity": "low",
        "message": N_(
            "Asking people to follow, like or share comes across as spam; good posts "
            "get shared on their own."
        ),
        "suggestion": N_("Post something worth sharing and let people decide."),
        "lesson": SPAM,
    },
    "spam.link_only": {
        "severity": "low",
        "message": N_("A post that is only a link looks like an advert; people skip it."),
        "suggestion": N_("Say in your own words why the link is worth a look."),
        "lesson": SPAM,
    },
    "spam.hype": {
        "severity": "medium",
        "message": N_(
            "Promises of easy money are the classic sign of a scam, and sharing them "
            "makes you look like one."
        ),
        "suggestion": N_("Share real results in plain words, without promises."),
        "lesson": SPAM,
    },
    "spam.auto_dm": {
        "severity": "medium",
        "message": N_(
            "An automatic 'thanks for following, now visit my page' feels like spam "
            "to the person who just followed you."
        ),
        "suggestion": N_("Thank people personally, or just start a real conversation."),
        "lesson": SPAM,
    },
    "spam.mass_tag": {
        "severity": "low",
        "message": N_("Tagging lots of people at once feels like spam to them."),
        "suggestion": N_("Tag only the people who are really in the post."),
        "lesson": SPAM,
    },
    "tone.hurtful": {
        "severity": "medium",
        "message": N_(
            "Mocking someone, ranking them or leaving them out hurts them and sticks "
            "to you: it is there for everyone to see, long after you have cooled down."
        ),
        "suggestion": N_(
            "Say what bothered you without attacking the person, or talk to them privately."
        ),
        "lesson": NETIQUETTE,
    },
    "tone.private_exposure": {
        "severity": "medium",
        "message": N_(
            "Sharing someone's private messages or secrets breaks their trust, and "
            "once it is posted they cannot take it back."
        ),
        "suggestion": N_("Keep it between you, or ask them before you share anything."),
        "lesson": PUBLIC,
    },
}


def advice(category: str, **overrides) -> dict:
    """What a finding of this category says, severity included (a rule may override)."""
    return {"category": category, **ADVICE[category], **overrides}


RULES: tuple[Rule, ...] = (
    # privacy.birthdate: a full date of birth, year included
    Rule(
        **advice("privacy.birthdate"),
        id="privacy.birthdate.date",
        anchor=re.compile(r"(?:19|20)\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b"),
        reach=30,
        tokens=frozenset(
            {
                "born",
                "birth",
                "birthday",
                "bday",
                "b",
                "dob",
                "turn",
                "turning",
                "turned",
                "turns",
                "birthdate",
            }
        ),
        pattern=re.compile(
            r"(?<![\d/.-])(?:"
            r"\d{1,2}[/.-]\d{1,2}[/.-](?P<year>(?:19|20)?\d{2})"
            r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
            rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<year2>(?:19|20)\d{{2}})"
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?,?\s+(?P<year3>(?:19|20)\d{{2}})"
            r")(?![\d/])"
        ),
        context=re.compile(r"\bborn\b|birth|b-?day|\bdob\b|birthday|bday|turn(?:ed|ing)? \d"),
        base=0.5,
        context_weight=0.5,
        threshold=1.0,
        window=45,
    ),
    # A day and month (year or not) with an age or a birthday anywhere in the post:
    # "13 today (5.8.2011)", "my birthday is tomorrow, 8th of december, gonna be 15".
    Rule(
        **advice("privacy.birthdate"),
        id="privacy.birthdate.with_age",
        needs_digit=True,
        tokens=BIRTH_TOKENS,
        pattern=re.compile(
            r"(?<![\d/.-])(?:"
            r"\d{1,2}[/.-]\d{1,2}[/.-](?P<year>(?:19|20)?\d{2})(?![\d/.-]?\d)"
            rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+(?P<year2>(?:19|20)\d{{2}}))?"
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b\.?"
            r"(?:,?\s+(?P<year3>(?:19|20)\d{2}|'?\d{2}(?!\d)))?"
            r")"
        ),
        counter=re.compile(r"sort code|account|deadline|\bdue\b|expir|\bexp\b|valid|order"),
        counter_before=True,
        validator=_date_with_age,
    ),
    # privacy.phone
    Rule(
        **advice("privacy.phone"),
        id="privacy.phone.formatted",
        trigger=re.compile(r"\d[\d ().-]{5}"),
        pattern=re.compile(r"(?<![\w/.#$£€-])\+?\(?\d[\d ().-]{5,18}\d(?![\w/%-])"),
        counter=re.compile(
            r"order|tracking|invoice|\bref\b|isbn|serial|model|score|"
            r"\bid\b|account number|card|pin|code|password|\bpts\b|points"
        ),
        counter_before=True,
        window=40,
        validator=lambda match, text: (
            (
                re.search(r"[ ().+-]", match.group(0)) is not None
                or re.search(
                    r"call|text|phone|number|cell|mobile|whatsapp|ring|\btel\b|"
                    r"reach me|contact|hmu|signal|telegram",
                    text.lower[max(0, match.start() - 40) : match.end() + 20],
                )
                is not None
            )
            and _possible_phone(match, text)
            and YEAR_RANGE.fullmatch(match.group(0).strip()) is None
        ),
    ),
    Rule(
        **advice("privacy.phone"),
        id="privacy.phone.spelled_out",
        tokens=frozenset(
            {
                "one",
                "two",
                "three",
                "four",
                "five",
                "six",
                "seven",
                "eight",
                "nine",
                "zero",
                "oh",
                "o",
                "double",
                "triple",
            }
        ),
        pattern=re.compile(
            r"\b(?:(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double|triple)"
            r"[\s,.-]+){6,}(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine)\b"
        ),
        context=re.compile(r"call|text|phone|number|cell|mobile|whatsapp|ring|reach me|hmu"),
        base=0.5,
        context_weight=0.5,
        threshold=1.0,
        window=40,
    ),
    # privacy.email
    Rule(
        **advice("privacy.email"),
        id="privacy.email.address",
        keywords=("@",),
        pattern=re.compile(
            r"[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*\.[a-z]{2,12}"
        ),
    ),
    Rule(
        **advice(
            "privacy.email",
            message=N_(
                "Spelling an address out ('name at mail dot com') still gives it away to "
                "anyone who reads it."
            ),
        ),
        id="privacy.email.spelled_out",
        keywords=("dot", "[", "(", "{"),
        pattern=re.compile(
            r"[a-z0-9._+-]{1,40}(?:\s+dot\s+[a-z0-9_+-]{1,20}){0,2}\s*[\[({]?\s*(?:@|\bat\b)\s*[\])}]?\s*"
            r"[a-z0-9-]{2,30}(?:\s*[\[({]?\s*(?:\.|\bdot\b)\s*[\])}]?\s*[a-z]{2,10}){1,3}\b"
        ),
        validator=lambda match, text: (
            re.search(r"\bdot\b|\[|\(|\{", match.group(0)) is not None
            and re.search(rf"(?:\.|dot)\s*[\])}}]?\s*(?:{TLDS})\b\s*[\])}}]?$", match.group(0))
            is not None
        ),
    ),
    # privacy.address
    Rule(
        **advice("privacy.address"),
        id="privacy.address.street",
        trigger=re.compile(r"\d"),
        tokens=STREET_TOKENS,
        pattern=re.compile(
            rf"(?<![\w#$£€.])(?:(?:apt|apartment|flat|unit|suite)\.?\s*#?\w+,?\s+)?"
            rf"\d{{1,5}}(?:/\d{{1,5}})?[a-z]?,?\s+(?:[a-zà-ÿ][a-zà-ÿ'.-]*\s+){{1,3}}"
            rf"(?:{STREET_TYPES})\b\.?"
            r"(?:,?\s+(?:apt|apartment|flat|unit|suite)\.?\s*#?\w+|\s+#\d+)?"
            r"|(?<![\w#$£€.])\d{1,4},?\s+(?:rue|av\.|boulevard|bd|chemin|allée|place|via|calle|"
            r"plaza)\s+(?:[a-zà-ÿ'.-]+\s*){1,4}"
        ),
        context=ADDRESS_CONTEXT,
        validator=_street_name_words,
        counter=words(
            "museum",
            "stadium",
            "arena",
            "theater",
            "theatre",
            "restaurant",
            "cafe",
            "café",
            "shop",
            "store",
            "mall",
            "library",
            "venue",
            "tickets?",
            "gallery",
            "church",
            "station",
            "office",
            "hq",
            "headquarters",
            "clinic",
            "hospital",
            "hotel",
            "bakery",
            "bar",
            "pub",
            "gym",
            "market",
            "festival",
            "exhibition",
            "open day",
            "fundraiser",
            "dream",
            "famous",
            "fictional",
            "movie",
            "film",
            "novel",
            "sherlock",
        ),
        base=0.6,
        context_weight=0.5,
        counter_weight=0.6,
        threshold=1.0,
        window=70,
    ),
    Rule(
        **advice("privacy.address"),
        id="privacy.address.continental",
        keywords=("straße", "strasse", "str.", "weg ", "gasse", "platz", "straat", "laan"),
        pattern=re.compile(
            r"\b[a-zà-ÿ]+(?:stra(?:ss|ß)e|str\.|weg|gasse|platz|laan|straat)\s+\d{1,4}[a-z]?\b"
        ),
        context=ADDRESS_CONTEXT,
        base=0.6,
        context_weight=0.5,
        threshold=1.0,
        window=70,
    ),
    Rule(
        **advice("privacy.address"),
        id="privacy.address.live_at",
        keywords=("live", "moved", "living"),
        pattern=re.compile(
            r"\b(?:i|we|my family|family)\s+(?:live|lives|living|moved)\s+"
            r"(?:at|on|to|in)\s+(?:number\s+)?\d{1,5}[a-z]?\s+[a-z][a-z'-]{2,}"
        ),
    ),
    # privacy.school: naming one's own school
    Rule(
        **advice("privacy.school"),
        id="privacy.school.named",
        anchor=re.compile(
            r"\b(?:high|middle|junior|elementary|primary|secondary|academy|grammar|prep|sixth|community|catholic|christian|day|school|college|university|uni)\b"
        ),
        reach=45,
        tokens=frozenset(
            {
                "high",
                "school",
                "academy",
                "primary",
                "secondary",
                "elementary",
                "college",
                "sixth",
                "prep",
                "grammar",
                "uni",
                "university",
            }
        ),
        pattern=re.compile(
            r"(?P<name>(?:\b[a-z][a-z'.-]*\s+){1,3})(?P<kind>high school|middle school|"
            r"junior high|elementary school|elementary|primary school|secondary school|"
            r"academy|grammar school|prep school|sixth form college|community college|"
            r"catholic school|christian school|day school|school|high|primary|secondary|"
            r"college|prep|grammar|university|uni)\b"
        ),
        context=re.compile(
            r"\b(?:i|i'?m|im|we|we'?re|my|our|us|me)\b|first (?:day|week)|"
            r"\b(?:day|week|year) \d|go(?:ing)? to|attend|grade|class of|"
            r"freshman|sophomore|students? at|any(?:one|body)(?: else)? at|"
            r"who at|proud to be|#|go [a-z]+!|girls from|guys from|uniform|"
            r"every(?:one|body) from|"
            r"revise|revising|teacher|\bclass\b|\bterm\b|semester|timetable|"
            r"exam|detention|starting|study|studying"
        ),
        counter=SCHOOL_COUNTER,
        base=0.2,
        context_weight=0.8,
        counter_weight=0.8,
        threshold=1.0,
        window=70,
        group="name",
        span=_school_span,
        validator=_own_school_name,
    ),
    Rule(
        **advice("privacy.school"),
        id="privacy.school.proper_name",
        tokens=frozenset(
            {
                "high",
                "school",
                "academy",
                "prep",
                "hs",
                "elementary",
                "sixth",
                "preparatory",
                "middle",
                "collegiate",
                "intermediate",
                "montessori",
                "preschool",
                "nursery",
                "juniors",
                "secondary",
                "primary",
                "international",
                "comp",
            }
        ),
        pattern=re.compile(rf"(?<![a-z0-9'-])(?:{SCHOOL_KINDS})(?![a-z0-9'-])"),
        counter=SCHOOL_COUNTER,
        window=70,
        span=_proper_school_span,
        validator=_proper_school_name,
    ),
    Rule(
        **advice("privacy.school"),
        id="privacy.school.hashtag",
        keywords=("#",),
        pattern=re.compile(
            r"#[a-z0-9]+(?:high|highschool|academy|middle|prep|elementary|"
            r"secondary|school)\b"
        ),
    ),
    # privacy.location: where you are right now
    Rule(
        **advice("privacy.location"),
        id="privacy.location.come_find_me",
        tokens=frozenset({"come", "find", "meet", "pull", "here", "swing", "stop"}),
        pattern=re.compile(
            r"come (?:find|meet|see|join) (?:me|us)|come say (?:hi|hey|hello)|"
            r"find me at|meet me at|pull up to|i'?m here at|we'?re here at|"
            r"swing by|stop by"
        ),
        counter=re.compile(
            r"tomorrow|next (?:week|month|year|saturday|sunday)|last |"
            r"yesterday|concert|gig|show|stream|channel|booth"
        ),
        counter_weight=0.6,
        base=1.0,
        threshold=1.0,
        validator=lambda match, text: (
            re.search(
                r"right now|\brn\b|\bnow\b|\btill\b|until|all (?:day|afternoon|evening)|today|"
                r"tonight|this (?:afternoon|evening|morning)|at the|\bat [a-z]|📍",
                text.lower[max(0, match.start() - 60) : match.end() + 60],
            )
            is not None
        ),
    ),
    Rule(
        **advice("privacy.location"),
        id="privacy.location.here_now",
        tokens=frozenset(
            {
                "now",
                "rn",
                "atm",
                "until",
                "till",
                "til",
                "tonight",
                "omw",
                "way",
                "currently",
                "alone",
                "stuck",
                "lost",
                "waiting",
                "sitting",
                "standing",
                "chilling",
                "hanging",
                "checked",
                "checking",
                "queueing",
                "queuing",
                "line",
                "queue",
                "moment",
                "afternoon",
                "evening",
                "next",
            }
        ),
        pattern=re.compile(
            r"\brn\b|right now|\batm\b|at the moment|\bomw\b|on my way|\bcurrently\b|"
            r"\btil+ close\b|\b(?:until|till|til) (?:\d|close|late|midnight|noon)|"
            r"all (?:afternoon|evening) (?:at|in)|for the next \w+ (?:hours|hrs|mins|minutes)|"
            r"\b(?:alone|stuck|lost|waiting|sitting|standing|chilling|hanging out) "
            r"(?:at|in|outside|by|near)\b|check(?:ed|ing) in at|queu(?:e)?ing|"
            r"in (?:the )?(?:line|queue) (?:at|for|outside)"
        ),
        context=PLACE,
        counter=re.compile(
            r"last (?:year|summer|week|month|time|night)|yesterday|\bago\b|"
            r"\bwas\b|\bwere\b|tomorrow|next (?:week|month|year)|"
            r"\b(?:movie|film|episode|song|book)\b"
        ),
        base=0.5,
        context_weight=0.5,
        counter_weight=0.6,
        threshold=1.0,
        window=50,
    ),
    Rule(
        **advice("privacy.location"),
        id="privacy.location.invite",
        tokens=frozenset(
            {
                "join",
                "hang",
                "where",
                "come",
                "pull",
                "see",
                "wants",
                "want",
                "wanna",
                "sit",
                "visit",
                "find",
                "nearby",
                "around",
                "close",
                "meet",
                "say",
                "grab",
                "chill",
            }
        ),
        pattern=re.compile(
            r"if (?:any(?:one|body)|u|you|y'?all)\s+(?:wants? to|wanna)\s+(?:join|hang|come|"
            r"meet|say hi)|where (?:r|are) (?:u|you)(?: guys| all)?\b|if (?:u|you) see me|"
            r"come (?:sit|visit|hang|chill|join|grab|get|by|through|round|find|say)|\bpull up\b|"
            r"visit me\b|wants? to find me|if (?:you'?re|ur|you are|u r) (?:nearby|around|close)|"
            r"any(?:one|body)(?:'s| is)? around"
        ),
        context=PLACE,
        counter=re.compile(
            r"tomorrow|next (?:week|month|year|saturday|sunday)|"
            r"\b(?:stream|channel|server|discord|online)\b|moved in|"
            r"our new (?:place|house|home|flat)|\bapt\b|address|\d+\s+[a-z]+\s+"
            r"(?:ave|avenue|street|st|road|rd|lane|drive|court|close)\b"
        ),
        base=0.5,
        context_weight=0.5,
        counter_weight=0.6,
        threshold=1.0,
        window=80,
    ),
    Rule(
        **advice("privacy.location"),
        id="privacy.location.pin",
        keywords=("📍", "live ", "location"),
        pattern=re.compile(
            r"📍\s*\S.{0,40}?(?:right now|\brn\b|\bnow\b|come|join)|"
            r"live (?:location|from)\b|sharing my location|location is on"
        ),
    ),
    # privacy.away: the house is empty
    Rule(
        **advice("privacy.away"),
        id="privacy.away.empty_home",
        tokens=frozenset(
            {
                "alone",
                "empty",
                "nobody",
                "noone",
                "one",
                "myself",
                "mine",
                "away",
                "town",
                "vacation",
                "holiday",
                "gone",
                "abroad",
                "overseas",
                "trip",
                "cruise",
                "parents",
                "mum",
                "mom",
                "dad",
                "dads",
                "mums",
                "moms",
                "family",
                "folks",
                "fam",
                "roommates",
                "flatmates",
                "we",
            }
        ),
        pattern=re.compile(
            # "walking home alone" is a way home, not an empty home
            r"(?<!walking )(?<!walk )(?<!walked )(?<!cycling )(?<!biking )(?<!riding )"
            r"(?<!driving )home alone|empty house|"
            r"(?:house|place|home|flat|apartment)(?:'s|\s+is|\s+will be|'ll be|\s+gonna be)?"
            r"\s+(?:(?:locked up|shut up) and\s+)?(?:empty|all mine|to myself)|"
            r"alone at home|alone in the (?:house|flat)|"
            r"(?:nobody|no one|noone)(?:'s|'ll| is| will)?(?: be)? (?:home|at home|in the house)|"
            r"(?:whole |the )?(?:house|place|flat|apartment) to myself|"
            r"just me (?:in|at) (?:the |my )?(?:house|home|flat|apartment)|"
            r"(?:parents|mum|mom|dad|family|folks|we|the fam|roommates|flatmates)(?:'s|'re)?\s+"
            r"(?:(?:are|is|will be|have|went|left|flew|all)\s+)?"
            r"(?:away|out of town|on (?:vacation|holiday|a (?:business )?trip|a cruise)|gone|"
            r"abroad|overseas|in [a-z]+|at [a-z]+'?s?|home for)\b"
        ),
        counter=re.compile(
            r"\bwas\b|\bwere\b|last (?:week|year|summer|month|time)|got back|"
            r"back home|came back|\bago\b|away game|away match|far away|"
            r"away from (?:my|the) (?:phone|desk|screen)|rest of us|"
            r"(?:i'?m|we'?re|i am|we are) (?:home|staying)\b(?! alone| home alone)|"
            r"(?:are|is) (?:all )?home\b(?! alone)|"
            r"at home with|"
            # "Home Alone" the film.
            r"(?:watch\w*|rewatch\w*|quote\w*|loved?) home alone|"
            r"home alone (?:\d|movie|film|marathon|quote|soundtrack)|"
            r"as a kid|when i was (?:little|a kid|younger|small)|(?:movie|film) where"
        ),
        counter_weight=0.6,
        window=60,
        validator=_home_is_empty,
    ),
    Rule(
        **advice(
            "privacy.away",
            message=N_("Announcing a trip while you are away tells people your home is empty."),
        ),
        id="privacy.away.leaving",
        tokens=frozenset(
            {
                "week",
                "weeks",
                "weekend",
                "day",
                "days",
                "month",
                "months",
                "night",
                "nights",
                "summer",
                "holidays",
            }
        ),
        pattern=re.compile(
            r"(?:leaving|leave|flying|fly|off|heading|head|going|away|gone|driving|drive)\s+"
            r"(?:out\s+)?(?:tomorrow|tonight|today|on (?:friday|saturday|sunday|monday))?\s*"
            rf"(?:to|for)\s+(?:\w+\s+){{0,3}}?(?:for|until|till)\s+(?:{COUNT}\s+)?"
            r"(?:whole\s+)?(?:weeks?|days|months?|nights|the (?:weekend|week|summer|holidays))"
        ),
        counter=TRIP_COUNTER,
    ),
    Rule(
        **advice(
            "privacy.away",
            message=N_("Announcing a trip while you are away tells people your home is empty."),
        ),
        id="privacy.away.trip",
        anchor_tokens=TRIP_TOKENS,
        tokens=TRIP_TOKENS,
        reach=30,
        after=25,
        pattern=TRIP,
        counter=TRIP_COUNTER,
        window=50,
        validator=_trip_with_a_time,
        span=_trip_span,
    ),
    # privacy.credentials
    Rule(
        **advice("privacy.credentials"),
        id="privacy.credentials.secret",
        keywords=(
            "pass",
            "pw",
            "pin",
            "wifi",
            "wi-fi",
            "login",
            "log-in",
            "code",
            "combo",
            "combination",
            "cvv",
            "cvc",
        ),
        pattern=re.compile(
            r"(?:password|passwd|pwd|passcode|pass code|pin(?: code| number)?|wi-?fi(?: pw)?|"
            r"login|log-in|locker (?:code|combo|combination)|lock (?:code|combo|combination)|"
            r"door code|gate code|alarm code|combo|access code|verification code|2fa code|"
            r"security code|cvv|cvc|gift ?card code|card code|redeem code)"
            r"(?:\s+(?:for|to)\s+(?:the\s+|my\s+)?[a-z]+(?:\s+[a-z]+)?)?"
            r"\s*(?:(?:is|was)\s*[:=-]?|[:=-]|'s)\s*[\"'“]?[^\s\"'”]{3,}"
            r"|\b(?:pw|pwd|pass)\s+(?:is\s+|=\s*|:\s*)?[a-z0-9!#$%&*_.-]{4,}"
        ),
        counter=re.compile(
            r"strong|should|change your|hint|tips?\b|make sure|use a|"
            r"too short|secure|promo|discount|% off|use code"
        ),
        counter_before=True,
        counter_weight=0.6,
        validator=_secret_value,
    ),
    Rule(
        **advice("privacy.credentials"),
        id="privacy.credentials.digits",
        keywords=("pin", "code", "combo", "combination", "passcode"),
        pattern=re.compile(
            r"\b(?:pin|passcode|pass code|(?:verification|security|2fa|one-time|login|access|"
            r"door|gate|alarm|locker|lock|bike lock|safe) (?:code|combo|combination)|"
            r"(?:locker|lock) combo|combination)\b[^\d\n]{0,25}?\b\d[\d -]{2,10}\d\b"
        ),
        counter=re.compile(
            r"promo|discount|% off|zip|post ?code|area code|dress code|"
            r"tracking|order"
        ),
        counter_before=True,
        validator=lambda match, text: 3 <= len(_digits(match.group(0))) <= 10,
    ),
    Rule(
        **advice(
            "privacy.credentials",
            message=N_(
                "A gift card or licence code in a post can be used by whoever reads it first."
            ),
            suggestion=N_("Send codes privately to the person they are for."),
        ),
        id="privacy.credentials.voucher",
        keywords=("-",),  # the trigger's scan is slow: most posts have no hyphen at all
        trigger=re.compile(r"[a-z0-9]{4,5}-[a-z0-9]{4,5}-[a-z0-9]{4,5}"),
        pattern=re.compile(r"\b[a-z0-9]{4,5}(?:-[a-z0-9]{4,5}){2,4}\b"),
        context=re.compile(r"gift|card|code|key|voucher|redeem|licen[cs]e"),
        counter=re.compile(r"promo|discount|% off|order|tracking|serial|model"),
        base=0.5,
        context_weight=0.5,
        threshold=1.0,
        validator=lambda match, text: (
            re.search(r"\d", match.group(0)) is not None
            and re.search(r"[a-z]", match.group(0)) is not None
        ),
    ),
    Rule(
        **advice(
            "privacy.credentials",
            message=N_("A card number in a post can be used to steal money."),
            suggestion=N_("Never post card numbers; tell the card holder so they can block it."),
        ),
        id="privacy.credentials.card",
        trigger=re.compile(r"\d{4}[ -]?\d{4}"),
        pattern=re.compile(r"(?<![\d-])\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{1,7}(?![\d-])"),
        validator=_card_number,
    ),
    Rule(
        **advice(
            "privacy.credentials",
            message=N_(
                "ID and account numbers let others pretend to be you or get into your accounts."
            ),
            suggestion=N_("Take the number out of the post."),
        ),
        id="privacy.credentials.id_number",
        tokens=frozenset(
            {
                "student",
                "students",
                "employee",
                "employees",
                "staff",
                "badge",
                "member",
                "members",
                "membership",
                "library",
                "social",
                "ssn",
                "passport",
                "license",
                "licence",
                "driver",
                "drivers",
                "insurance",
                "medicare",
                "tax",
                "account",
                "accounts",
                "routing",
                "sort",
                "id",
            }
        ),
        pattern=re.compile(
            r"(?:student|employee|staff|badge|member(?:ship)?|library card|social security|ssn|"
            r"passport|driver'?s? licen[cs]e|licen[cs]e|national insurance|medicare|"
            r"tax file|bank account|account|routing|sort code|id card)\s*"
            r"(?:id|number|no\.?|num|#)?\b[^\d\n]{0,20}?\d[\d\s-]{3,}\d"
        ),
        counter=re.compile(
            r"order|tracking|invoice|reference|\bref\b|followers|likes|"
            r"\bpoints?\b|\bpts\b|\byears?\b|\bdays?\b|%"
        ),
        validator=lambda match, text: len(_digits(match.group(0))) >= 5,
    ),
    # spam.ask
    Rule(
        **advice("spam.ask"),
        id="spam.ask.follow_share",
        tokens=frozenset(
            {
                "follow",
                "sub",
                "subscribe",
                "like",
                "share",
                "retweet",
                "rt",
                "repost",
                "reblog",
                "boost",
                "smash",
                "hit",
            }
        ),
        pattern=re.compile(
            r"(?:^|[.!?\n:,]\s*|[^\w\s'’,]\s*|@[a-z0-9_.]+\s+|\b(?:please|pls|plz|pleaseee*|"
            r"pretty please|go|so|and|just|can you|could you|can u|would you|everyone|guys|"
            r"y'all|you all|ppl|people|all)\s+)"
            r"(?:follow|sub(?:scribe)?|like|share|retweet|rt|repost|reblog|boost|smash|hit)\b"
            r"(?:\s*(?:,|and|&|\+|n)\s*(?:follow|sub(?:scribe)?|like|share|retweet|rt|repost|"
            r"comment|shop|tag))*\s+(?:me|my|this|us|our|back|for|pls|please|plz|that|the (?:link|"
            r"like|follow|post)|if|it|everything|now|him|her|to (?:my|our|me|enter|win)|so\b|"
            r"👉|\d+\s+(?:friends|people|mates))"
        ),
        counter=re.compile(
            r"\bi (?:really )?like\b|would you like|if you like|do you like|"
            r"like this one better|share (?:my|your) (?:opinion|thoughts)|"
            r"like (?:a|an|the) [a-z]+ (?:that|who)"
        ),
        window=10,
    ),
    Rule(
        **advice("spam.ask"),
        id="spam.ask.swap",
        tokens=frozenset(
            {
                "follow",
                "like",
                "sub",
                "f4f",
                "l4l",
                "s4s",
                "help",
                "get",
                "reach",
                "hit",
                "spread",
                "rt",
                "retweet",
                "share",
                "appreciate",
                "followback",
                "followme",
                "likeforlike",
                "please",
                "pls",
                "plz",
            }
        ),
        pattern=re.compile(
            r"\b(?:follow (?:4|for) follow|like (?:4|for) like|f4f|l4l|"
            r"sub (?:4|for) sub|s4s|follow back|followback|help me (?:get|reach|hit) \d+[k]? "
            r"(?:followers|likes|subs|subscribers)|(?:get|reach|hit) me to \d+[k]? (?:followers|"
            r"subs|subscribers)|spread the word|please rt|pls rt|plz rt|rt if|rt to|rt so|"
            r"retweet if|retweet to|share if|share to win|appreciate (?:follows|likes|shares|"
            r"subs|a follow|a like|a share))\b|#followme|#likeforlike"
        ),
        # Thanking someone who followed back asks for nothing.
        counter=re.compile(r"\b(?:thanks|thank (?:you|u)|thx|ty) (?:so much )?for the follow"),
    ),
    # spam.link_only
    Rule(
        **advice("spam.link_only"),
        id="spam.link_only.bare",
        once=True,
        keywords=("/", "www."),  # every link the trigger finds has one
        trigger=re.compile(r"https?://|www\.|[a-z]\.[a-z]{2,}/"),
        pattern=URL,
        validator=_only_a_link,
    ),
    # spam.hype
    Rule(
        **advice("spam.hype"),
        id="spam.hype.money",
        keywords=(
            "make",
            "made",
            "making",
            "earn",
            "pull",
            "passive",
            "financial",
            "rich",
            "double your",
            "trick",
            "secret",
            "no experience",
            "own boss",
            "quit your",
            "crypto",
            "dm me",
            "$",
        ),
        pattern=re.compile(
            r"(?:make|making|made|earn|earning|earned|pull(?:ing)? in)\s+(?:over\s+|up to\s+)?"
            r"[$£€]?\s?\d[\d,.]*k?\s*(?:dollars|pounds|euros|bucks)?\s*"
            r"(?:a|per|every|each|this|in (?:a|one|just|only))\s*(?:\d+\s+)?"
            r"(?:day|week|month|hour|hr|days|weeks)"
            r"|(?:work|earn|make money) from home|passive income|financial freedom|get rich|"
            r"rich quick|double your (?:money|income)|(?:one|this) (?:simple |weird |easy )?"
            r"trick|secret (?:method|system|formula)|no experience needed|be your own boss|"
            r"quit your (?:job|9-?5)|crypto (?:signals|profits)|dm me (?:for|to) (?:learn|"
            r"start|info)|\$\d[\d,]* (?:a|per) (?:day|week)"
        ),
    ),
    Rule(
        **advice("spam.hype"),
        id="spam.hype.easy_money",
        keywords=(
            "$",
            "£",
            "€",
            "money",
            "rich",
            "legit",
            "you can too",
            "double",
            "pays you",
            "guarantee",
            "passive",
            "figures",
            "k a ",
            "k per",
            "win rate",
        ),
        pattern=re.compile(
            r"(?:earn|make|making|get|gets|pays?|paid)\s+(?:you\s+)?(?:up to\s+)?"
            r"[$£€]\s?\d[\d,.]*k?"
            r"\s*(?:/|per|an?|every)\s*(?:hr|hour|day|week|month|friend|referral|click|survey)\b"
            r"|[$£€]\s?\d[\d,.]*k?\s*(?:/|per|for every)\s*(?:friend|referral|click|survey)\b"
            r"|[$£€]\s?\d[\d,.]*k?\s*(?:daily|weekly|monthly|a day|a week|per day|per week)\b"
            r"|\b\d+k (?:a|per) (?:day|week|month)\b|\b(?:6|7|six|seven) figures\b|passively\b"
            r"|guarantee (?:you|that you)|\d+% win rate"
            r"|\bpays you\b|free money|100\s?% legit|you can too|rich by \d+|"
            r"make more than my (?:parents|mom|dad|teachers)|double your \w+|"
            r"\bguaranteed\b(?=.{0,40}\b(?:money|profit|income|followers|likes|get \d+ back|"
            r"returns|results|robux|v-?bucks|coins|crypto)\b)"
            r"|(?:money|profit|income|followers|likes|robux|v-?bucks|coins|crypto)"
            r".{0,40}\bguaranteed\b"
        ),
    ),
    Rule(
        **advice(
            "spam.hype",
            message=N_(
                "Promises of quick followers or guaranteed results are the classic sign of a "
                "scam; bought followers are fake."
            ),
            suggestion=N_("Grow by posting things people want to see."),
        ),
        id="spam.hype.followers",
        tokens=frozenset(
            {
                "followers",
                "likes",
                "subscribers",
                "subs",
                "views",
                "fans",
                "guarantee",
                "guaranteed",
                "viral",
            }
        ),
        pattern=re.compile(
            r"(?:get|gain|grow|buy|boost|get you)\s+(?:\d+[\d,]*k?|thousands of|tons of|"
            r"hundreds of|real|instant|more)\s*(?:real |active |instant )?"
            r"(?:followers|likes|subscribers|subs|views|fans)"
            r"(?:\s+(?:fast|quick|quickly|overnight|instantly|guaranteed|today|in \d+|for free|"
            r"free|now|cheap|for just|for only))"
            r"|(?:100\s?%|fully|totally|money[- ]back)\s*guarantee|guaranteed\s+(?:results|"
            r"growth|income|profit|returns|followers|likes)|\bgo viral (?:guaranteed|fast)"
        ),
    ),
    # spam.auto_dm
    Rule(
        **advice("spam.auto_dm"),
        id="spam.auto_dm.thanks_push",
        once=True,
        tokens=frozenset(
            {"thanks", "thank", "thx", "ty", "tysm", "appreciate", "welcome", "cheers"}
        ),
        pattern=re.compile(
            r"(?:thanks|thank you|thx|ty|tysm|thank u|many thanks|appreciate|welcome|cheers)"
            r"[,!]?\s+"
            r"(?:so much\s+)?(?:for|4)?\s*(?:the\s+)?(?:follow|following|connecting|"
            r"the connect|adding me|subscribing|new follower)"
        ),
        validator=_pushes_something,
    ),
    Rule(
        **advice("spam.auto_dm"),
        id="spam.auto_dm.pitch",
        once=True,
        tokens=frozenset(
            {
                "thanks",
                "thank",
                "thx",
                "ty",
                "tysm",
                "welcome",
                "hello",
                "hi",
                "hey",
                "greetings",
                "dear",
                "selected",
                "following",
                "bumping",
                "followed",
                "name",
                "first_name",
            }
        ),
        pattern=re.compile(
            r"(?:thanks|thank (?:you|u)|thx|ty|tysm)[,!]?\s+(?:so much\s+)?(?:for|4)\s+"
            r"(?:the\s+)?(?:follow(?:ing)?(?! along)|connecting|adding me|subscribing|joining|"
            r"accepting)"
            r"|\bwelcome (?:to (?:the|my|our) (?:server|network|page|channel|community)|"
            r"new follower)"
            r"|\b(?:hello|hi|hey)\s+(?:dear|friend|hun|babe|cutie|there|again|\{+|\[)"
            r"|^\s*(?:greetings|dear hiring manager|hello dear)\b"
            r"|\b(?:i|we) came across your profile|\bsaw (?:u|you) followed"
            r"|\b(?:you'?ve|you have|u have) been selected\b"
            r"|\bfollowing up on my (?:previous|last) message|\bbumping this\b"
            r"|[\[{]+\s*(?:first_?name|name|industry)\s*[\]}]+"
        ),
        # Quoted, it is a post about such messages, not one of them.
        counter=re.compile(r"[\"“]\s*$"),
        counter_before=True,
        window=3,
        validator=lambda match, text: PITCH.search(text.lower, match.end()) is not None,
    ),
    # spam.mass_tag
    Rule(
        **advice("spam.mass_tag"),
        id="spam.mass_tag.handles",
        once=True,
        keywords=("@",),
        pattern=re.compile(r"(?<![\w.])@[a-z0-9_.]{1,30}(?:[\s,&]+(?:and\s+)?@[a-z0-9_.]{1,30})+"),
        validator=_many_handles,
    ),
    Rule(
        **advice(
            "spam.mass_tag",
            message=N_("'Tag your friends' chains spread posts by pestering people."),
        ),
        id="spam.mass_tag.chain",
        keywords=("tag",),
        pattern=re.compile(
            r"\btag\s+(?:(?:\d+|two|three|four|five|six|seven|eight|nine|ten|all)\s+"
            r"(?:of\s+)?(?:your\s+)?(?:friends?|people|mates|besties|followers)\b"
            r"|(?:some(?:one|body)|a (?:friend|mate|bestie|person|buddy))\s+(?:who|that|whos|"
            r"who's|you)\b|(?:all )?your (?:friends|besties|mates|squad|bff|bestie)\b|"
            r"every(?:one|body)\b)"
        ),
    ),
    Rule(
        **advice(
            "spam.mass_tag",
            message=N_("Chain posts spread by pestering people into passing them on."),
        ),
        id="spam.mass_tag.forward",
        tokens=frozenset(
            {"send", "forward", "pass", "share", "paste", "tag", "everyone", "nominate", "tags"}
        ),
        pattern=re.compile(
            r"\b(?:send|forward|pass|share|copy and paste)\s+(?:this|it)\s+(?:on\s+)?"
            r"(?:to\s+)?(?:your story and tag\s+\d+|(?:\d+|every|all|ur|your|her and)\b"
            r"[^.!?\n]{0,25}?\b(?:people|ppl|friends|gcs|group chats?|women|parents|contacts|"
            r"contact list|mums|moms|mates))"
            r"|\bforward to all (?:ur|your) friends"
            r"|@everyone\s+@here"
            r"|\btag\s+(?:every1|every(?:one|body) (?:u|you) know|the whole|ur whole|your whole|"
            r"as many|\d+ more|(?:\d+|three|five|ten) (?:mums|moms|parents|colleagues|ppl|more))"
            r"|\b(?:most|more) tags (?:wins|=)"
            r"|\bnominate \d+ friends"
        ),
    ),
    # tone.hurtful (reads the text with leetspeak undone)
    Rule(
        **advice("tone.hurtful"),
        id="tone.hurtful.insult",
        anchor_tokens=INSULT_TOKENS,
        reach=90,
        tokens=INSULT_TOKENS,
        view="leet",
        pattern=re.compile(
            r"(?<![\w@])(?P<target>you|you'?re|youre|ur|u r|u|ya|yall|y'all|you guys|you all|"
            r"he'?s|she'?s|"
            r"they'?re|hes|shes|theyre|@[a-z0-9_.]+|[a-z]+ is|[a-z]+ was|i'?m|im|i am|"
            r"(?:he|she|they) (?:is|was|are|dresses|looks|acts|smells|sounds|plays|talks) "
            r"like)\s+"
            r"(?:(?:such|so|really|literally|a|an|the|total|complete|absolute|fucking|freaking|"
            r"stupid|ugly|fat|dumb|big|little|lil|just|being|acting|like|an?|what|are|is|r|"
            r"fake|lying|two-faced|actual|gross|annoying)\s+){0,4}"
            rf"(?:{INSULTS})\b"
        ),
        validator=_aimed_at_someone,
    ),
    Rule(
        **advice("tone.hurtful"),
        id="tone.hurtful.name_calling",
        tokens=INSULT_TOKENS,
        view="leet",
        pattern=re.compile(
            rf",\s*(?:you\s+)?(?:{INSULTS})\s*[.!?]*\s*(?:[^\w\s]\s*)*$"
            rf"|^(?:{INSULTS})(?:\s+(?:{INSULTS}))+\b"
            rf"|\b(?:that|this)\s+(?:{INSULTS})\s+(?=[a-z]+\b)"
            rf"|\bactual (?:{INSULTS})\b"
            rf"|\bwhat an? (?:{INSULTS})\b"
            r"|\b(?:waste of (?:space|air|oxygen)|piece of (?:crap|trash|garbage|work))\b"
            r"|\b(?:dumbest|stupidest|ugliest|fattest|worst) (?:person|human|kid|girl|guy|"
            r"boy|teacher|manager|boss|player) (?:alive|ever|in the world|on earth)"
            rf"|\bhow (?:ugly|fat|stupid|dumb|gross|disgusting|pathetic) @?[a-z0-9_.]+"
        ),
        counter=re.compile(r"\b(?:i'?m|im|i am|me|myself|my own)\b"),
        counter_weight=0.6,
        window=25,
    ),
    Rule(
        **advice(
            "tone.hurtful",
            severity="high",
            message=N_(
                "Threats and pile-ons hurt people and can get you into real trouble, even "
                "as a joke."
            ),
            suggestion=N_("Step away from the screen, and talk it through with someone you trust."),
        ),
        id="tone.hurtful.attack",
        tokens=frozenset(
            {
                "likes",
                "hates",
                "wants",
                "kys",
                "kill",
                "die",
                "dead",
                "beat",
                "punch",
                "hurt",
                "smash",
                "slap",
                "stab",
                "jump",
                "end",
                "break",
                "what",
                "such",
                "look",
                "shut",
                "regret",
                "notice",
                "care",
                "miss",
                "asked",
                "cry",
            }
        ),
        view="leet",
        pattern=re.compile(
            r"\b(?:nobody|no one|noone|everyone|everybody|we all)\s+(?:[a-z]+\s+){0,3}?"
            r"(?:likes|hates|loves|wants)\s+"
            r"(?:you|u|ya|him|her|them)\b(?<!loves you)(?<!loves u)(?<!loves him)"
            r"(?<!loves her)(?<!loves them)"
            r"|\bkys\b|kill (?:yo)?urself|go die\b|you should die|drop dead|"
            r"(?:i'?ll|i will|im gonna|i'?m gonna|i'?m going to|gonna|going to|we'?ll|"
            r"we will)\s+(?:beat|punch|hurt|kill|smash|slap|stab|jump|end|break)\s+"
            r"(?:you|u|ya|him|her|them|your|ur|@[a-z0-9_.]+)\b"
            r"|(?:you|u|ur|you'?re|youre|you are)\s+(?:gonna|going to|will)\s+regret\b"
            r"|(?:nobody|no one) would (?:even )?(?:notice|care|miss (?:you|u))\b"
            r"|nobody asked (?:for )?(?:you|u|your|ur)\b|go cry to"
            r"|(?:what an?|such an?|look at this|look at that)\s+(?:(?:ugly|fat|stupid|dumb|"
            rf"total|complete|absolute)\s+)*(?:{INSULTS})\b\s*@[a-z0-9_.]+"
            rf"|@[a-z0-9_.]+\s+(?:the|you|u)\s+(?:{INSULTS})\b"
            r"|\bshut up,?\s+(?:you\b|u\b|@)"
        ),
        counter=re.compile(
            r"in (?:fortnite|minecraft|chess|the game|roblox|fifa|mario ?kart|"
            r"a race|the match|ping ?pong|tennis)|at (?:fortnite|chess|fifa|"
            r"mario ?kart)|\blol jk\b|\bin the game\b|catchphrase|quote|lyrics?"
        ),
        window=60,
    ),
    Rule(
        **advice("tone.hurtful"),
        id="tone.hurtful.exclusion",
        tokens=frozenset(
            {"invited", "wants", "sit", "kick", "unfollow", "hint", "likes", "block", "leave"}
        ),
        view="leet",
        pattern=re.compile(
            r"\b(?:no ?one|nobody)\s+(?:even\s+|actually\s+|here\s+|in [a-z0-9 ]{1,20}?\s+)?"
            r"(?:invited|wants|likes)\s+(?:you|u|her|him|them)\b(?!\s+(?:to know|back))"
            r"|\b(?:don'?t|dont|do not|nobody|no one)\s+sit(?:s)?\s+with\s+(?:him|her|them|@)"
            r"|\bkick\s+(?:him|her|them|@[a-z0-9_.]+)\s+(?:from|out of|off)\b"
            r"|\b(?:every(?:one|body)|all of (?:you|u)|y'?all)\s+(?:go\s+)?(?:unfollow|block)\s+@"
            r"|\bfor a reason[^.!?]{0,20}\btake the hint\b"
        ),
    ),
    Rule(
        **advice("tone.hurtful"),
        id="tone.hurtful.ranking",
        tokens=frozenset(
            {"rating", "ranking", "rate", "rank", "poll", "vote", "smash", "who's", "whos"}
        ),
        view="leet",
        pattern=re.compile(
            r"\b(?:rating|ranking|rate|rank)\s+(?:the\s+|my\s+|all\s+(?:the\s+)?|every\s+)?"
            r"(?:[a-z']+\s+){0,2}?(?:boys|girls|kids|people|guys|exes|coworkers|co-workers|"
            r"classmates|colleagues|teachers|students|players)\b[^.!?\n]{0,40}?"
            r"(?:1-10|1 to 10|out of 10|/10|\bworst\b|\bugliest\b|\buseless\b|\bhottest\b)"
            r"|\b(?:poll|vote)\b[^.!?\n]{0,20}?\bwho'?s\s+(?:the\s+)?(?:ugliest|worst|fattest|"
            r"dumbest|most annoying|weirdest|smelliest|biggest loser)"
            r"|\bsmash or pass\b"
        ),
    ),
    Rule(
        **advice(
            "tone.hurtful",
            severity="high",
            message=N_("Threats hurt people and can get you into real trouble, even as a joke."),
            suggestion=N_("Step away from the screen, and talk it through with someone you trust."),
        ),
        id="tone.hurtful.threat",
        tokens=frozenset({"after", "jumped", "where", "straw", "settle"}),
        view="leet",
        pattern=re.compile(
            r"\b(?:wait|see (?:you|u)|meet me|catch (?:you|u))\s+(?:(?:till|til|until)\s+)?"
            r"(?:outside\s+|behind [a-z ]{1,20}\s+)?after\s+(?:school|class|practice|the shift|"
            r"work|the game)\b(?![^.!?\n]{0,20}\b(?:for|to) (?:study|practice|help|talk|hang))"
            r"|\b(?:getting|get|gonna get|gon get)\s+jumped\b"
            r"|\b(?:u|you) know where\b\s*[.!]"
            r"|\beating it through a straw\b|\bsettle this (?:properly|outside)\b"
        ),
    ),
    Rule(
        **advice("tone.hurtful"),
        id="tone.hurtful.mocking",
        tokens=frozenset({"sounds", "looks", "smells", "voice", "brain", "face", "sound"}),
        view="leet",
        pattern=re.compile(
            r"\b(?:he|she|they|u|you|bro|ur)\s+(?:sounds?|looks?|smells?)\s+like\s+an?\s+"
            r"(?:dying|dead|sick|wet|fat|ugly|rotting|drowning|sweaty|old)\s+[a-z]+"
            r"|\b(?:the|a)\s+(?:voice|brain|face|body)\s+of\s+an?\s+[a-z]+\b"
            r"[^.!?\n]{0,25}\b(?:too|also)\b"
            r"|\bstop posting (?:ur|your) face\b"
        ),
    ),
    Rule(
        **advice("tone.hurtful"),
        id="tone.hurtful.group",
        tokens=frozenset({"all", "these", "those", "people", "typical"}),
        view="leet",
        pattern=re.compile(
            r"\b(?:all|these|those)\s+(?:the\s+)?(?:[a-z-]+\s+){0,4}?"
            r"(?:kids|people|girls|boys|hires|guys|students|women|men|immigrants)\b"
            r"(?:\s+(?:in|from|at)\s+(?:[a-z0-9-]+\s+){1,3}?)?\s*(?:are|r)\s+(?:so\s+|such\s+|"
            r"all\s+|just\s+|literally\s+)?(?:stupid|dumb|slow|lazy|useless|idiots|losers|trash|"
            r"morons|disgusting|gross|pathetic|ugly|worthless)\b"
            r"|\bold people shouldn'?t be allowed\b|\btypical (?:gen z|boomer|millennial)s?\b"
        ),
    ),
    # Meanness without swear words, read from the definitions: leaving someone out
    # ("no one wants you at the table"), polls and rankings about a person, mocking looks,
    # voice or clothes, "after school" threats, calling a whole class stupid, pile-ons.
    Rule(
        **advice("tone.hurtful"),
        id="tone.hurtful.mean",
        tokens=frozenset(
            """nobody noone one invited invite welcome belong sit kick kicked kicking poll vote
            voting rate rating rank ranking ugliest weirdest dumbest fattest cringiest
            smelliest voice laugh teeth haircut outfit clothes accent braces dresses
            dressed walks walk smells laughs sings dances happens dead watch classmates
            homeroom coworkers roast ratio dogpile unfollow ignore block ghost exclude cares
            thieves idiots morons stupid dumb losers criminals savages""".split()
        ),
        view="leet",
        pattern=re.compile(
            r"\b(?:no ?one|nobody|none of us|we)\s+(?:even\s+|really\s+|actually\s+)?"
            r"(?:wants?|want)\s+(?:you|u|her|him|them)\s+(?:here|there|at|in|around|on|to come|"
            r"to join|back|near)\b"
            r"|\b(?:you'?re|youre|ur|u r|you are|she'?s|he'?s|they'?re)\s+(?:so\s+)?not\s+"
            r"(?:invited|welcome)\b"
            r"|\b(?:you|u|she|he|they)\s+(?:weren'?t|wasn'?t|werent|wasnt)\s+invited\b"
            r"|\b(?:don'?t|dont|do not|nobody|no one|never)\s+invite\s+(?:her|him|them|@)"
            r"|\b(?:you|u)\s+(?:can'?t|cant|cannot)\s+sit\s+with\s+us\b"
            r"|\b(?:no ?one|nobody)\s+(?:wants|wanted)\s+to\s+(?:sit|hang|talk|be|work|play|"
            r"partner|eat)\s+(?:out\s+)?(?:with|next to|around|near)\s+(?:you|u|her|him|them)\b"
            r"|\b(?:you|u|she|he)\s+(?:don'?t|doesn'?t|dont|doesnt)\s+belong\s+(?:here|with us)"
            r"|\b(?:kick|kicking|kicked)\s+(?:her|him|them|@[a-z0-9_.]+)\s+out\s+of\s+(?:the|our)"
            r"\s+(?:group|gc|group ?chat|chat|squad|team|party|plans)\b"
            r"|\b(?:poll|vote|voting)\b[^.!?\n]{0,40}?\b(?:ugliest|worst dressed|weirdest|"
            r"fattest|dumbest|most annoying|smelliest|cringiest|biggest loser)\b"
            r"|\b(?:rate|rating|ranking|rank)\s+(?:her|his|their|@[a-z0-9_.]+(?:'s)?)\s+"
            r"(?:face|outfit|looks|body|hair|voice|fit|teeth|nose)\b"
            r"|\b(?:ugliest|weirdest|dumbest|fattest|cringiest|most annoying|smelliest|"
            r"worst dressed)\s+(?:kid|person|girl|guy|boy|one|people|kids)\s+(?:in|at|of)\s+"
            r"(?:the\s+|our\s+|my\s+)?(?:class|school|grade|year|team|office|group)\b"
            r"|\b(?:like|rt|comment|reply)\s+if\s+(?:you|u)\s+(?:think|agree)\s+"
            r"(?:she|he|they|@[a-z0-9_.]+)\s+(?:is|'s|are|looks|sounds)\b"
            r"|\b(?:her|his|their|ur|your)\s+(?:voice|laugh|face|teeth|hair|haircut|nose|"
            r"outfit|clothes|shoes|accent|glasses|braces)\s+(?:is|are|looks?|sounds?)\s+"
            r"(?:so+\s+|literally\s+|actually\s+|really\s+|just\s+)?(?:ugly|gross|nasty|"
            r"disgusting|annoying|cringe|hideous|awful|horrible|terrible|busted|tragic)\b"
            r"|\b(?:he|she|they|u|you)\s+(?:dresses|dress|dressed|looks|look|sounds|sound|"
            r"talks|laughs)\s+like\s+(?:a\s+|an\s+|my\s+)?(?:clown|grandma|grandpa|homeless|"
            r"goblin|troll|pig|cow|whale|hobo|rat|toddler|chipmunk|goat|frog|granny|dying)"
            r"|\bwho let (?:her|him|them) (?:dress|leave the house|out of the house)\b"
            r"|\bafter (?:school|class)\b[^.!?\n]{0,30}?\b(?:you'?re|ur|youre|u r|you are)\s+"
            r"(?:so\s+)?(?:dead|done|finished)\b"
            r"|\b(?:you'?re|ur|youre|u r|you are)\s+(?:so\s+)?(?:dead|done)\s+after\s+"
            r"(?:school|class)\b"
            r"|\bwatch (?:your|ur|yo) back\b"
            r"|\b(?:you'?ll|youll|u'?ll|ull|u will|you will)\s+see what happens\b"
            r"|\b(?:my|our|this|the|that)\s+(?:whole\s+|entire\s+)?(?:class|classmates|grade|"
            r"team|group|department|office|coworkers|co-workers|homeroom)\s+(?:is|are|r)\s+"
            r"(?:full of\s+|all\s+|just\s+)?(?:so\s+|such\s+)?(?:literally\s+)?(?:stupid|dumb|"
            r"idiots|morons|useless|brainless|clowns|braindead|brain dead|losers)\b"
            r"|\b(?:everyone|everybody|every1)\s+in\s+(?:my|our|this|that|the)\s+(?:class|grade|"
            r"group|team|school|year)\s+(?:is|are)\s+(?:so\s+|such\s+)?(?:stupid|dumb|idiots|"
            r"morons|useless|brainless|clowns|losers|an idiot)\b"
            r"|\b(?:class|grade|school|team|office|group|department)\s+(?:is\s+)?full of\s+"
            r"(?:idiots|morons|clowns|losers)\b"
            r"|\b(?:everyone|everybody|y'?all|yall|lets|let'?s)\s+(?:all\s+)?(?:go\s+)?"
            r"(?:roast|ratio|spam|report|mock|dogpile)\s+(?:her|him|them|@)"
            r"|\b(?:roast|ratio|dogpile)\s+(?:her|him|@[a-z0-9_.]+)\b"
            r"|\b(?:rate|rank)\s+(?:the\s+|all\s+the\s+)?(?:new\s+)?(?:kids|girls|boys|guys|"
            r"people|classmates|teachers)\s+(?:in|by|from|at)\b"
            r"|\b(?:let'?s|lets|we should|everyone|everybody|y'?all)\s+(?:all\s+)?(?:just\s+)?"
            r"(?:go\s+)?(?:unfollow|ignore|block|ghost|exclude)\s+(?!the\b|this\b|that\b|"
            r"these\b|those\b|it\b|any\b|all\b|spam|scam|bots?\b|ads?\b|dms?\b|messages?\b|"
            r"links?\b|accounts?\b|anyone\b|people\b|strangers?\b|them\b|requests?\b)[a-z@]"
            r"|\b(?:nobody|no one|noone|don'?t|dont)\s+sit\s+(?:next to|with)\s+(?:the\s+new|him|"
            r"her|them|@)"
            r"|\b(?:nobody|no one|noone)\s+(?:even\s+)?cares\s+(?:about\s+|abt\s+)?(?:your|ur|"
            r"what (?:you|u))\b"
            r"|\b(?:comment|reply|dm)\s+[\"'“]?(?:loser|ugly|fat|cringe|clown|weirdo|freak)\b"
            r"|\btell (?:her|him|them) what (?:we|you|u|y'?all) think of (?:her|him|them)\b"
            r"|(?<!\bi )(?<!\bim )(?<!\bi'm )(?<!\bme )\b(?:walks?|runs?|eats?|smells?|laughs?|"
            r"talks?|sings?|dances?|looks?|sounds?)\s+"
            r"like\s+(?:a|an)\s+(?:penguin|duck|pig|goat|cow|horse|chicken|donkey|monkey|mop|"
            r"zombie|gremlin|potato|whale|rat|troll|goblin|hobo|clown)\b"
            r"|\b(?:i'?ll|i will|imma|ima|we'?ll|we will)\s+find\s+(?:you|u)\b(?!\s+(?:a|an|"
            r"some|the|one|later|after|at|there|online|when|in|on|if|guys)\b)"
            r"|\bmake (?:her|him|them) (?:cry|feel it|regret it|quit)\b"
            r"|\b(?:people|ppl|kids|girls|boys|guys)\s+from\s+(?:the\s+)?[a-z]+\s+(?:are|r)\s+"
            r"(?:all\s+)?(?:thieves|idiots|stupid|dumb|trash|losers|criminals|animals|dirty|smelly|"
            r"freaks|savages)\b"
        ),
        counter=re.compile(
            r"in (?:fortnite|minecraft|the game|roblox)|\blol jk\b|lyrics?|\bnever\b|"
            r"\bdon'?t (?:ever )?(?:say|post|tell)"
        ),
        counter_before=True,
        window=40,
    ),
    # The shapes the writers' hurtful posts share that the rules above miss (read from
    # their cross-writer misses): pile-ons on someone's post or DMs, leaving a named
    # person out of a chat, a party or a photo, rankings and leaderboards of the worst,
    # "imagine being...", and veiled threats. (The leet view reads digits as letters: an
    # age or a "top 5" is matched as a one- or two-letter word.)
    Rule(
        **advice("tone.hurtful"),
        id="tone.hurtful.pile_on",
        tokens=frozenset(
            """spam flood comment invited inviting trying bother without leave crop vote
            elsewhere leaderboard top tier rating ranking rank rate imagine crybaby snitch
            energy broke shame karma mirror allowed anyone wonder""".split()
        ),
        view="leet",
        pattern=re.compile(
            r"\b(?:every(?:one|body)|y'?all|yall|you guys|u guys|guys|lets|let'?s)\s+(?:go\s+)?"
            r"(?:spam|flood|comment\s+\S+\s+on)\s+(?:hate\s+on\s+|on\s+)?(?:[a-z]+|@[a-z0-9_.]+)"
            r"'s\s+(?:new\s+|last\s+|latest\s+)?(?:post|video|pic|photo|selfie|dms?|comments|"
            r"page|tiktok|story)\b"
            r"|\b(?!(?:i|im|i'm|who|that|it|this|everyone|everybody|nobody|anyone)\b)[a-z]+\s+"
            r"(?:isn'?t|is not|isnt)\s+(?:even\s+)?invited\b"
            r"|\bnot\s+invit(?:ing|e)\s+(?!anyone|everyone|many|more|lots|the whole|a lot|people|"
            r"guests|the class|you all)(?:[a-z]+|@)"
            r"|\b(?:stop|quit)\s+trying\s+to\s+(?:sit|hang|hang out|be friends|talk|join|fit in)\s+"
            r"(?:out\s+)?with\s+us\b"
            r"|\bdon'?t\s+(?:even\s+)?bother\s+(?:talking|texting|sitting|coming|speaking)\s+"
            r"(?:to|with|near)\s+us\b"
            r"|\b(?:made|make|making|started|start|created|new)\s+(?:a\s+|another\s+|our\s+)?"
            r"(?:new\s+)?(?:gc|group ?chat|chat|group|squad)\s+without\s+"
            r"(?!u\b|you\b|me\b|us\b|them\b|my\b|our\b|the\b|a\b|any\b|adults\b|parents\b)[a-z@]"
            r"|\b(?:the|our|my)\s+(?:sleepover|party|trip|hangout|meetup|group photo|table)\s+"
            r"without\s+(?!u\b|you\b|me\b|us\b|them\b|my\b|our\b|the\b|a\b|any\b|adults\b|"
            r"parents\b|phones?\b|drama\b)[a-z@]"
            r"|\bcan\s+leave\s+(?:this|the|our)\s+(?:chat|gc|group)\s+too\b"
            r"|\bcrop\s+(?:her|him)\s+out\b"
            r"|\bvote\s+(?:[a-z]+|@[a-z0-9_.]+)\s+(?:off|out\s+of)\s+(?:the\s+|our\s+)?"
            r"(?:group|team|island|project|chat|gc|squad)\b"
            r"|\bsit\s+elsewhere\b"
            r"|\b(?:leaderboard|top \w{1,2}|tier list|ranking)\s+(?:of\s+)?(?:the\s+)?"
            r"(?:worst|ugliest|weirdest|most annoying|fattest|dumbest|smelliest|cringiest)\b"
            r"|\b(?:rating|ranking|rate|rank)\s+(?:every|each)\s+(?:girl|boy|kid|person|guy)\s+"
            r"(?:in|at|from)\b"
            r"|\b(?:rating|ranking|rate|rank)\s+(?:the\s+)?(?:boys|girls|kids|dads|mums|moms|"
            r"people|guys|teachers)\s+(?:in|at|from)\s+[^.!?\n]{0,30}?\b(?:by how|from\b[^.!?\n]"
            r"{0,25}\bto\b|out of)"
            r"|\bimagine\s+being\s+(?:so\s+)?(?:\w{1,2}|poor|ugly|fat|broke|short|slow|dumb|stupid|"
            r"that ugly|that poor|that slow|that dumb)\s+and\s+still\b"
            r"|\bimagine\s+being\s+so\s+(?:poor|ugly|fat|broke|slow|dumb|stupid|weird)\b"
            r"|\b(?:that\s+)?crybaby\s+(?!mode\b)[a-z]+"
            r"|\bsnitch[.!]?\s+karma\b|\bkarma'?s\s+coming\s+for\s+(?:you|u)\b"
            r"|\bloser\s+energy\b|\bbroke\s+(?:boy|girl)\b"
            r"|\bwould\s+be\s+a\s+shame\s+if\s+(?:something|anything)\s+happened\s+to\s+(?:your|ur)\b"
            r"|\b(?:not|doesn'?t|don'?t|never)\s+own(?:ing|s)?\s+a\s+mirror\b"
            r"|\b(?:kids|people|girls|boys|guys)\s+like\s+(?:him|her|them)\s+"
            r"(?:shouldn'?t|should not)\s+(?:even\s+)?be\s+allowed\b"
            r"|\banyone\s+who\b[^.!?\n]{0,40}?\b(?:is|are)\s+(?:a|an)\s+(?:loser|idiot|clown|weirdo|"
            r"freak|joke)\b"
            r"|\bno\s+wonder\s+(?:he|she|they)(?:'s|'re|\s+is|\s+are|\s+always)?\s+[^.!?\n]{0,20}?"
            r"\b(?:smells?|weak|fat|thick|dumb|stupid|single|broke|poor|alone|ugly)\b"
        ),
        counter=re.compile(
            r"\blol jk\b|lyrics?|\bdon'?t (?:ever )?(?:say|post|tell) (?:that|this)"
        ),
        counter_before=True,
        window=40,
    ),
    # tone.private_exposure
    Rule(
        **advice("tone.private_exposure"),
        id="tone.private_exposure.messages",
        keywords=(
            "what",
            "screenshot",
            "told",
            "texted",
            "texting",
            "messaged",
            "dm",
            "exposing",
            "leak",
            "posting",
            "sharing",
            "spilling",
            "group chat",
            "gc",
            "secret",
            "tell",
            "forward",
            "pasting",
            "diary",
            "journal",
            "confidence",
            "give it out",
            "asked me",
            "said not",
        ),
        pattern=re.compile(
            r"(?:look|see|check|guess|read|lol|omg|wait|this is|here'?s|heres)\s+(?:at\s+)?"
            r"what\s+(?:@?[a-z0-9_.]+\s+){1,3}(?:just\s+)?(?:dm'?d|dmed|texted|messaged|sent|"
            r"wrote|said|snapped|told me)"
            r"|screenshot(?:s|ting|ted)?\s+(?:of\s+)?(?:@?[a-z0-9_.]+'?s?\s+){1,2}"
            r"(?:texts?|messages?|dms?|chats?|convo|conversation|snaps?|story|stories)"
            r"|screenshot(?:ting|ted)? (?:it )?before (?:she|he|they) delete"
            r"|(?:told|asked|made|begged)\s+me\s+(?:in confidence|in secret|privately|"
            r"in private|not to tell|to keep (?:it|this) (?:a )?secret|not to (?:give|share|"
            r"post|say))"
            r"|said not to (?:tell|give it out|share|post|say)"
            r"|(?:exposing|leaking|leak|posting|sharing|spilling|forwarding|pasting)\s+"
            r"(?:what\s+[a-z]+\s+said|(?:@?[a-z0-9_.]+'?s?\s+)?(?:whole |private |secret |"
            r"voice )?(?:dms|texts|messages?|chats?|secrets?|group chat|gc|voice (?:memo|note)|"
            r"memo|diary|emails?|letter))"
            r"|(?:group chat|gc|dms?)\s+(?:got\s+)?leaked"
            r"|(?:in|from) (?:our|the) (?:group chat|gc|dms)\s*[:\-,]?\s*(?:@?[a-z0-9_.]+\s+)?"
            r"(?:said|says|admitted|told)"
            r"|what (?:@?[a-z0-9_.]+\s+)said in (?:our|the) (?:group chat|gc|dms?)"
            r"|(?:her|his|their|@[a-z0-9_.]+'?s?) (?:big |biggest |little )?secret (?:is|was)"
            r"|(?:don'?t|do not) tell (?:@?[a-z0-9_.]+ )?(?:i|that i) (?:posted|told|shared)"
            r"|reading (?:my|his|her|their) (?:[a-z]+'s )?(?:diary|journal|texts|messages|phone)"
            r"|[a-z]+'s been (?:texting|messaging|dming) me about"
            r"|[a-z]+'s (?:diary|journal|private story|close friends? story|texts?|messages?|dms?)"
            r" (?:says|said|reads|shows)"
            r"|(?:private|close friends?) story"
            r"|[\"'“][^\"'”\n]{0,80}(?:don'?t|dont|do not) tell (?:anyone|anybody|nobody|mum|mom|"
            r"dad)"
        ),
    ),
    Rule(
        **advice("tone.private_exposure"),
        id="tone.private_exposure.shared",
        tokens=frozenset(
            {
                "screenshots",
                "screenshot",
                "ss",
                "diary",
                "journal",
                "leaked",
                "finsta",
                "recorded",
                "tell",
                "therapy",
                "meds",
                "medication",
                "antidepressants",
                "divorced",
                "divorce",
                "sent",
                "messages",
                "texts",
                "below",
                "attached",
                "rumor",
                "rumour",
            }
        ),
        view="lower",
        pattern=re.compile(
            r"\bscreenshots? of what\s+(?:@?[a-z0-9_.]+\s+){1,2}(?:said|says|sent|wrote|texted)"
            r"|\b(?:ss|screenshots?)\s+(?:from|of)\s+(?:the|our|their|her|his)\s+"
            r"(?:private\s+|secret\s+)?(?:gc|group ?chat|dms|chat|convo)"
            r"|\b(?:found|read|reading|posting|here'?s)\s+(?:[a-z]+'s|my ex'?s|his|her)\s+"
            r"(?:old\s+|secret\s+)?(?:diary|journal)"
            r"|\bscreen ?record(?:ed|ing)\s+(?:her|his|their|[a-z]+'s)\b"
            r"|\bfinsta is @"
            r"|^\s*leaked\s*:"
            r"|\b(?:screenshots?|messages|texts|pics?|photos?)\s+(?:attached|below)\b"
            r"[^.!?\n]{0,30}\b(?:don'?t tell|she|he|they|her|him)\b"
            r"|\bdon'?t tell (?:her|him|them)\b"
            r"|\b(?:[a-z]+'s|his|her)\s+(?:parents|mum|mom|dad)\s+(?:are|is)\s+getting\s+"
            r"(?:divorced|a divorce)"
            r"|\b(?:[a-z]+|he|she)\s+(?:is|'s|has been)\s+on\s+(?:meds|medication|"
            r"antidepressants)\b"
            r"|\b(?:[a-z]+|he|she)\s+(?:has to go|goes|is going)\s+to\s+therapy\b"
            r"|\b(?:sharing|posting|forwarding)\s+the\s+(?:messages|texts|dms|emails|"
            r"voice notes?)\s+(?:she|he|they)\s+sent"
            r"|\b(?:heard a|rumou?r has it)\s+(?:rumou?r\s+)?(?:that\s+)?(?:[a-z]+\s+){1,4}?"
            r"(?:is|got|was)\s+(?:having an affair|caught|cheating|pregnant|getting held back)"
        ),
    ),
    # Someone else's private messages, secrets or photos shared to shame them, without
    # the words "screenshot" or "leak".
    Rule(
        **advice("tone.private_exposure"),
        id="tone.private_exposure.betrayed",
        tokens=frozenset(
            """want wants told sent texted wrote showed posting sharing showing dropping
            private secret trusted trusts phone roll gallery laptop history between still
            here's heres antidepressants meds medication prison jail broke alcoholic
            deported rehab locked finsta account acc insta profile tiktok""".split()
        ),
        view="lower",
        pattern=re.compile(
            r"\b(?:she|he|they)\s+(?:doesn'?t|does not|doesnt|dont|don'?t|didn'?t|didnt)\s+"
            r"want\s+(?:anyone|anybody|people|the (?:whole )?(?:school|class|grade))\s+"
            r"(?:to\s+)?(?:know|see|find out|hear)"
            r"|\b(?:guess|wanna know|want to know|you won'?t believe|u wont believe)\s+what\s+"
            r"(?:she|he|they|@[a-z0-9_.]+)\s+(?:told|sent|texted|wrote|showed)\s+me\b"
            r"|\b(?:she|he|they|@[a-z0-9_.]+)\s+(?:sent|texted|wrote|showed)\s+me\s+"
            r"(?:this|these|that)\b[^.!?\n]{0,40}?(?:\blol\b|\blmao\b|😂|🤣|\blook\b|"
            r"\beveryone\b|\bcringe\b|\bimagine\b|\bembarrassing\b)"
            r"|\b(?:posting|sharing|showing|dropping|reading out|read out)\s+(?:everyone\s+|"
            r"y'?all\s+|u\s+|you\s+)?(?:her|his|their|@[a-z0-9_.]+'s|[a-z]+'s)\s+(?:private\s+|"
            r"secret\s+|old\s+|embarrassing\s+|whole\s+|cringe\s+)?(?:texts|messages|msgs|dms|"
            r"pics|photos|selfies|notes|letters?|love letters?|poems?|search history|"
            r"voice notes?|chats?|emails?)\b"
            r"|\b(?:her|his|their)\s+(?:private|secret)\s+(?:texts|messages|msgs|dms|pics|"
            r"photos|chats|letters?|poems?|selfies)\b"
            r"|\b(?:she|he|they)\s+(?:trusted|trusts)\s+me\s+(?:with|but)\b"
            r"|\b(?:found|went through|looked through|saw)\s+(?:on\s+)?(?:her|his|their)\s+"
            r"(?:phone|camera roll|gallery|laptop|notes app|search history|browser history)"
            r"|\bthought (?:it|this|that) (?:would stay|was) (?:private|between us)"
            r"|\b(?:everyone|the whole (?:school|class|grade)|y'?all)\s+(?:should|needs? to|"
            r"has to|gotta)\s+(?:know|see|read|hear)\s+(?:what|how)\s+(?:she|he|they|"
            r"@[a-z0-9_.]+)\s+(?:said|wrote|texted|sent|told)"
            r"|\bstill (?:wets (?:the|his|her) bed|sucks (?:his|her) thumb)"
            r"|\b(?:here'?s|heres|this is|look at|posting|sharing|dropping|reading out|read out)"
            r"\s+the\s+(?:chat|pic|picture|photo|msg|message|dm|voice (?:note|memo)|video|text|"
            r"selfie|letter|love letter|email|note|convo|screenshot)s?\s+(?:where\s+[a-z]+|"
            r"(?:[a-z]+\s+)?(?:sent|wrote|texted|told)\s+(?:me|to|him|her))"
            r"|\b(?:sent|showed|gave)\s+(?:it\s+to\s+)?me\s+(?:\w+\s+){0,2}?(?:in private|"
            r"in confidence|privately)"
            r"|\b(?:she|he|they)\s+(?:doesn'?t|doesnt)\s+know\s+(?:yet|i (?:posted|shared))"
            r"|\b[a-z]+'s\s+been\s+on\s+(?:antidepressants|meds|medication)\b"
            r"|\b(?:[a-z]+'s|his|her|their)\s+(?:dad|mum|mom|father|mother|parents|brother|sister)"
            r"\s+(?:is|are|was|got)\s+(?:in prison|in jail|broke|an alcoholic|getting deported|in "
            r"rehab|locked up)"
            r"|\b(?:[a-z]+'s|his|her)\s+(?:secret|private|fake)\s+(?:finsta|account|acc|insta|"
            r"profile|tiktok)\b"
        ),
        counter=re.compile(
            r"\bnever\b|\bdon'?t (?:ever )?(?:post|share|screenshot)|\bplease don'?t"
        ),
        counter_before=True,
        window=40,
    ),
    Rule(
        **advice("tone.private_exposure"),
        id="tone.private_exposure.their_secret",
        keywords=("password", "number", "pin", "login"),
        pattern=re.compile(
            r"\b(?:told me|gave me|sent me|showed me)\s+(?:his|her|their)\s+(?:new\s+)?"
            r"(?:\w+\s+)?(?:password|number|pin|login|address)"
        ),
    ),
    # Someone else's contact details, given out: "her number's 07722 481 390", "Ayan lives
    # at 9 Cedar Grove", "su número es ...", "seine Adresse ist ..." (every language).
    Rule(
        **advice(
            "tone.private_exposure",
            message=N_(
                "This gives out someone else's contact details: anyone can now find, "
                "call or bother them, and they did not choose that."
            ),
        ),
        id="tone.private_exposure.their_details",
        needs_digit=True,
        tokens=frozenset(
            """her his their its lives live su sus vive viven seine seiner ihre ihrer wohnt
            wohnen""".split()
        ),
        pattern=re.compile(
            r"(?<![\w'])(?:(?:her|his|their)\s+(?:real\s+|new\s+|home\s+|personal\s+|"
            r"whole\s+)?(?:phone\s+)?(?:number|digits|addy|address|cell)(?:'s)?"
            r"|(?:she|he|they)\s+(?:lives?|is living|stays?)\s+(?:at|on)"
            r"|[a-z]+\s+lives\s+(?:at|on)(?=\s+\d)"
            r"|su\s+(?:n[uú]mero|m[oó]vil|celular|tel[eé]fono|direcci[oó]n|casa)"
            r"|(?:[eé]l|ella|ellos)\s+viven?\s+en"
            r"|(?:seine|ihre)\s+(?:handy)?(?:nummer|adresse|telefonnummer)"
            r"|(?:er|sie)\s+wohnt\s+(?:in\s+der|im|am|an\s+der|in)"
            r")(?![\w'])"
        ),
        # The detail itself follows (a number: a phone, a house number; an e-mail), and
        # the post sends people after them: passing a number on kindly is privacy.phone.
        validator=lambda match, text: (
            re.search(r"\d|@", text.lower[match.end() : match.end() + 45]) is not None
            and _said(SEND_AFTER, text)
        ),
    ),
)


# Sending people after someone: "go get her", "u know what to do", "prank call him".
SEND_AFTER = re.compile(
    r"\bgo (?:get|crazy|wild|knock|egg|find|spam|visit|show|say hi|tell|ask|call|text)\b"
    r"|\b(?:u|you) know what to do|\bprank|\bspam (?:him|her|them)\b|\bsign (?:him|her|them) up"
    r"|\btell (?:him|her|them) (?:what|how|yourself|urself|yourselves)"
    r"|\b(?:call|text|ring|message|dm|tell) (?:him|her|them) (?:urself|yourself|yourselves)"
    r"|\b(?:call|text|ring|message|dm) (?:him|her|them) and (?:ask|tell|say)"
    r"|\bignoring (?:everyone|us|me)|\bexpos|\brevenge|\bdeserves? (?:it|this)"
    r"|\beveryone (?:go|call|text|message|spam)|\bblow up (?:his|her|their) phone|🥚"
    r"|\b(?:llamen|llamadle|llámenle|escr[ií]banle|escribidle|molest|acos|sp[aá]mme|vayan|"
    r"id a|a ver qu[eé] (?:dice|hace)|se lo merece|venganza|exp[oó]n)"
    r"|\b(?:ruft|schreibt|nervt|terrorisiert|spammt|besucht)\s+(?:ihn|sie|die|den)\b"
    r"|\bviel spa(?:ß|ss)\b|\bhat (?:er|sie)s? verdient|\brache\b"
)


# A post that warns about spam, or asks people not to share others' messages, quotes the
# phrasing it warns about: "these 'make $1000 a day' posts are all scams". The same words
# in three languages (the registries of learner/coach/rules_intl.py use them too); "not a
# scam", the spammer's own reassurance, is not a warning.
WARNING = re.compile(
    r"(?<!not a )(?<!no es una )(?<!no es )(?<!kein )(?<!keine )"
    r"\b(?:scams?|scammers?|scammy|estafas?|estafadores?|timos?|betrug\w*|abzocke\w*|"
    r"fake-?gewinnspiel\w*)\b"
    r"|\bpyramid scheme|\besquema piramidal|\bschneeballsystem"
    r"|\b(?:reported|blocked|denunciad[oa]|bloquead[oa]|gemeldet|blockiert)\b"
    r"|\bdon'?t fall for|\bno (?:caig[aá]is|caigan|caigas)|\bfallt nicht|\bfall nicht"
    r"|\bbeware\b|\bbe careful\b|\bcuidado\b|\bvorsicht\w*\b|\bpass(?:t)? auf\b"
    r"|\bstay away\b|\bred flag|🚩"
    r"|\b(?:are|is|all|mostly|totally|so) (?:fake|lies|bots)\b|\b(?:is|are) lying\b"
    r"|\blying to you\b|\bbot accounts?\b|\bbots are\b|\bfake accounts?\b"
    r"|too good to be true|\b(?:es|son) mentira\b|\bpir[aá]mides?\b|\bdesconfi"
    r"|\bno funciona\b|\bwho (?:still )?falls for|\bqui[eé]n (?:se )?(?:las |lo )?cree"
    r"|\bwer f[aä]llt|\bdoesn'?t work\b|\bl[üu]ge\b"
    r"|\bchain (?:msg|message|post)s?\b.{0,40}\b(?:back|again|stop)"
    r"|\b(?:cadenas?|kettenbriefe?)\b.{0,40}\b(?:otra vez|de nuevo|dejad|basta|wieder|nervt|"
    r"quatsch|l[öo]sch|ignor|nix|nichts|risa|cree|mentira)"
    r"|\b(?:cadenas?|kettenbrief\w*|chain (?:msg|message|post)s?)\s+(?:son|sind|are)\s+"
)
PRIVATE_WARNING = re.compile(
    r"\b(?:please\s+)?(?:don'?t|do not|never|stop)\s+(?:\w+\s+){0,3}?"
    r"(?:screenshot|screenshotting|forward|shar|post|leak|spread)"
    r"|\bnot cool\b|\bisn'?t (?:cool|ok|okay)\b|^\s*(?:reminder|psa)\b"
    r"|\bist (?:echt |voll |total |einfach )?(?:mies|gemein|nicht ok|das letzte)"
    r"|\b(?:es|está) (?:muy )?(?:feo|mal|fatal)\b|\bno (?:est[aá] bien|mola)\b"
    r"|\bis (?:so |really )?(?:messed up|not ok|wrong|low)\b"
    r"|\bno (?:la |lo |las |los )?(?:voy a|vamos a) (?:compartir|publicar|reenviar)"
    r"|\bno (?:compart|reenv|publiqu|pas)[a-zíé]*\s+(?:capturas|pantallazos|chats|mensajes)"
    r"|\b(?:bitte\s+)?keine\s+screenshots|\bnicht\s+(?:weiterleiten|teilen|posten)\b"
    # Shared with consent, or one's own: not someone else's secret.
    r"|\b(?:with|w/) (?:her|his|their) (?:permission|ok|blessing)|\b(?:she|he|they) said i could"
    r"|\bcon (?:su |el )?permiso|\bme (?:dio|dieron|ha dado) permiso|\bme dej[oó] contar"
    r"|\bmit (?:ihrer|seiner|deren) erlaubnis|\bhat (?:es )?(?:mir )?erlaubt"
    r"|\b(?:mi|mis) (?:propi[oa]s? )?capturas?\b|\bcapturas? de (?:mi|mis)\b"
    r"|\bmy own (?:chat|messages|texts|screenshot)"
    r"|\bmy (?:own |old )?diary\b|\bmi (?:propio |viejo )?diario\b|\bmein (?:altes )?tagebuch\b"
)
# Teasing between friends: the post says it is said with love ("you absolute muppet, love
# ya", "sos un boludo, te quiero", "hab dich lieb du Dummkopf"). Every writer labeled such
# posts clean; a heart used as a poll's answer ("❤️ = Tamara") is not one.
AFFECTION = re.compile(
    r"\b(?:i )?love (?:you|u|ya)\b|\bily(?:sm)?\b|❤(?!\ufe0f?\s*=)|💕|💖|🥰|🫶"
    r"|\bte (?:quiero|queremos|amo|banco)\b|\b(?:la|lo) amo\b|\bnunca cambies\b"
    r"|\bhab (?:dich|euch) lieb\b|\bhdl\b|\bich liebe dich\b|\bdie beste\b"
    r"|\bnever change\b|\bbut you'?re my\b|\bmy (?:dork|nerd|idiot|clown)\b"
)
WARNED_CATEGORIES = {
    "spam.hype": WARNING,
    "spam.auto_dm": WARNING,
    "spam.ask": WARNING,
    "tone.private_exposure": PRIVATE_WARNING,
    "tone.hurtful": AFFECTION,
}
WARNED_RULES = frozenset(
    f"spam.mass_tag.{kind}{lang}" for kind in ("chain", "forward") for lang in ("", ".es", ".de")
)


QUOTES = frozenset("\"“”„«»'")
# A quoted phrase: in double quotes, or in single quotes that open after a space and close
# before one (so an apostrophe, "don't", opens nothing).
QUOTED = re.compile(
    r'["“„«][^"“”„«»]{1,120}["”“»]|(?:^|(?<=[\s(:]))\'[^\'\n]{1,120}\'(?=[\s.,!?;:)\-]|$)'
)


def _quoted(match: re.Match, text: Text) -> bool:
    """Whether a match sits inside quotation marks with words of the post's own outside
    them: 'lo de "sígueme y te sigo" ya no funciona' talks about spam, it is not spam."""
    lower = text.lower
    for quote in QUOTED.finditer(lower):
        if quote.start() <= match.start() and match.end() <= quote.end():
            outside = lower[: quote.start()] + " " + lower[quote.end() :]
            return len(outside.split()) >= 4
    return False


# The spam rules that quoting or warning turns off.
QUOTABLE = frozenset({"spam.hype", "spam.auto_dm", "spam.ask"})


def heeding_warnings(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The rules, those of the warned-about categories refusing posts that warn (and the
    spam rules refusing phrasing quoted to talk about it)."""
    out = []
    for rule in rules:
        warning = WARNED_CATEGORIES.get(rule.category)
        if rule.id in WARNED_RULES:
            warning = WARNING
        if warning is None:
            out.append(rule)
            continue
        own = rule.validator
        quotable = rule.category in QUOTABLE or rule.id in WARNED_RULES

        def validator(match, text, own=own, warning=warning, quotable=quotable):
            if _said(warning, text):
                return False
            if quotable and QUOTES.intersection(text.lower) and _quoted(match, text):
                return False
            return own is None or own(match, text)

        out.append(dataclasses.replace(rule, validator=validator))
    return tuple(out)


RULES = heeding_warnings(RULES)
# The patterns searched once per post, split and gated now: the literals they need join
# the lexicon before any post is read (see learner.coach.engine.Lexicon).
for _pattern in (BIRTH_CONTEXT, AGE_SAID, SEND_AFTER, *WARNED_CATEGORIES.values(), WARNING):
    _fast(_pattern)
