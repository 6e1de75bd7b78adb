"""The registry of coach rules: one entry per way a risk shows up in a post.

Patterns read the lower-cased, normalised post (the tone rules read it with leetspeak
undone). Messages speak to a teen in one sentence; each rule names the lesson that
teaches the skill. Category ids are a public contract (DESIGN §4).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import phonenumbers

from learner.coach.engine import Rule, words
from learner.coach.text import Text

PHONE_REGIONS = ("US", "GB", "AU", "CA", "IE", "NZ", "DE", "IN")
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
    "close|crescent|cres|terrace|parkway|pkwy|circle|cir|highway|hwy|square|sq|grove|"
    "gardens|row|mews|walk|trail|loop|hill|view"
)
INSULTS = (
    "idiot|idiots|stupid|loser|losers|dumb|dumbass|moron|morons|ugly|fat|pig|fatso|freak|"
    "freaks|worthless|pathetic|trash|garbage|disgusting|jerk|weirdo|creep|creepy|clown|"
    "cow|retard|retarded|fag|faggot|slut|whore|bitch|bastard|dick|prick|twat|skank|"
    "useless|failure|nobody|nerd|dork|scum|waste of space|waste of air|"
    "piece of (?:crap|trash|garbage)"
)

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


PROMO_FILLER = re.compile(
    r"https?://\S+|www\.\S+|\b[a-z0-9-]+\.(?:com|net|org|ly|io|co|shop|store|link|me)/\S*|"
    r"\b(?:check|it|this|out|buy|now|click|here|link|in|bio|visit|shop|deal|deals|sale|"
    r"discount|off|code|today|only|limited|offer|free|shipping|get|yours|new|hot|"
    r"order|grab|go|don't|miss|at|on|my|the|a|an|and|to|for|site|store|website|page)\b|"
    r"[^a-z0-9\s]"
)
URL = re.compile(r"https?://\S+|www\.\S+|\b(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl)/\S+")


def _only_a_link(match: re.Match, text: Text) -> bool:
    rest = PROMO_FILLER.sub(" ", text.lower)
    return len(rest.split()) <= 3


PUSH = re.compile(
    r"https?://|www\.|\.com\b|check out|visit|like my|follow (?:me|us) on|subscribe|"
    r"join my|join our|download|my (?:website|site|page|channel|shop|store|newsletter|blog|"
    r"podcast|app|course)|sign up|use code|dm me for|link in (?:my )?bio"
)


def _pushes_something(match: re.Match, text: Text) -> bool:
    return PUSH.search(text.lower) is not None


HANDLE = re.compile(r"(?<![\w.])@[a-z0-9_.]{1,30}")


def _many_handles(match: re.Match, text: Text) -> bool:
    return len(set(HANDLE.findall(text.lower))) >= 5


NAME_STOP = frozenset(
    "the a an my our at to from of in this that every no any best worst local public "
    "private what which same different another new old his her their your go going went "
    "love miss hate visit visited near next last first".split()
)
BARE_KINDS = frozenset({"high", "primary", "secondary", "college"})


def _own_school_name(match: re.Match, text: Text) -> bool:
    """A school's proper name: not 'my high school', and a bare 'High' only if capitalised."""
    words_ = match.group("name").split()
    while words_ and words_[0] in NAME_STOP:
        words_.pop(0)
    if not words_ or words_[-1] in NAME_STOP:
        return False
    if match.group("kind") in BARE_KINDS:
        start = match.start("kind")
        original = text.normal[start : start + 1]
        name_start = match.end("name") - len(" ".join(words_)) - 1
        return original.isupper() and text.normal[name_start : name_start + 1].isupper()
    return True


NOT_PEOPLE = frozenset(
    "this it that there what which who test game weather food class homework movie song "
    "show day plan idea update app phone wifi traffic lesson teacher's school life "
    "everything everyone nothing something music book week year ending exam".split()
)


def _aimed_at_someone(match: re.Match, text: Text) -> bool:
    """An insult aimed at a person: not at oneself, and a named target looks like a name."""
    target = match.group("target")
    if target in {"i", "im", "i'm", "i am"}:
        return False
    named = re.fullmatch(r"([a-z]+) (?:is|was)", target)
    if named is None:
        return True
    if named.group(1) in NOT_PEOPLE:
        return False
    return text.normal[match.start() : match.start() + 1].isupper()


RULES: tuple[Rule, ...] = (
    # privacy.birthdate: a full date of birth, year included
    Rule(
        id="privacy.birthdate.date",
        keywords=("born", "birth", "bday", "b-day", "dob", "turn"),
        category="privacy.birthdate",
        severity="high",
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
        message="A full birth date with the year is one of the keys to your identity: "
        "people use it to guess passwords or pretend to be you.",
        suggestion="Say 'my birthday is in March' and leave out the date and year.",
        lesson=PERSONAL,
    ),
    # privacy.phone
    Rule(
        id="privacy.phone.formatted",
        trigger=re.compile(r"\d[\d ().-]{5}"),
        category="privacy.phone",
        severity="high",
        pattern=re.compile(r"(?<![\w/.#$£€-])\+?\(?\d[\d ().-]{5,18}\d(?![\w/%-])"),
        counter=re.compile(
            r"order|tracking|invoice|\bref\b|isbn|serial|model|score|"
            r"\bid\b|account number|card|pin|code|password|\bpts\b|points"
        ),
        window=25,
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
        ),
        message="A phone number lets anyone who sees this post call or text you, and find "
        "your other accounts.",
        suggestion="Share your number privately with people you know, not in a post.",
        lesson=PERSONAL,
    ),
    # privacy.email
    Rule(
        id="privacy.email.address",
        keywords=("@",),
        category="privacy.email",
        severity="high",
        pattern=re.compile(
            r"[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*\.[a-z]{2,12}"
        ),
        message="An e-mail address in a post invites spam, scams and strangers into your inbox.",
        suggestion="Ask people to message you here instead.",
        lesson=PERSONAL,
    ),
    Rule(
        id="privacy.email.spelled_out",
        keywords=("dot", "[", "(", "{"),
        category="privacy.email",
        severity="high",
        pattern=re.compile(
            r"[a-z0-9._+-]{1,40}(?:\s+dot\s+[a-z0-9_+-]{1,20}){0,2}\s*[\[({]?\s*(?:@|\bat\b)\s*[\])}]?\s*"
            r"[a-z0-9-]{2,30}(?:\s*[\[({]?\s*(?:\.|\bdot\b)\s*[\])}]?\s*[a-z]{2,10}){1,3}\b"
        ),
        validator=lambda match, text: (
            re.search(r"\bdot\b|\[|\(|\{", match.group(0)) is not None
            and re.search(rf"(?:\.|dot)\s*[\])}}]?\s*(?:{TLDS})\b\s*[\])}}]?$", match.group(0))
            is not None
        ),
        message="Spelling an address out ('name at mail dot com') still gives it away to "
        "anyone who reads it.",
        suggestion="Ask people to message you here instead.",
        lesson=PERSONAL,
    ),
    # privacy.address
    Rule(
        id="privacy.address.street",
        trigger=re.compile(rf"\d[a-z]?,?\s+[a-z][^\n]{{0,50}}?\b(?:{STREET_TYPES})\b"),
        category="privacy.address",
        severity="high",
        pattern=re.compile(
            rf"(?<![\w#$£€.])\d{{1,5}}[a-z]?,?\s+(?:[a-z][a-z'.-]*\s+){{1,3}}(?:{STREET_TYPES})\b\.?"
            r"(?:,?\s+(?:apt|apartment|flat|unit|suite)\.?\s*#?\w+)?"
        ),
        context=re.compile(
            r"\blive\b|living|my (?:house|place|home|flat|apartment|room)|"
            r"our (?:house|place|home|flat|apartment)|address|moved|come over|"
            r"\bparty\b|sleepover|sleep over|my (?:mum|mom|dad|nan|gran)'?s|"
            r"drop (?:it|them|by)|pick me up|\bhome\b|our new"
        ),
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
        ),
        base=0.7,
        context_weight=0.5,
        counter_weight=0.6,
        threshold=1.0,
        window=60,
        message="A home address tells strangers exactly where to find you.",
        suggestion="Send the address privately to the people you invite.",
        lesson=PERSONAL,
    ),
    Rule(
        id="privacy.address.live_at",
        keywords=("live", "moved", "living"),
        category="privacy.address",
        severity="high",
        pattern=re.compile(
            r"\b(?:i|we|my family|family)\s+(?:live|lives|living|moved)\s+"
            r"(?:at|on|to|in)\s+(?:number\s+)?\d{1,5}[a-z]?\s+[a-z][a-z'-]{2,}"
        ),
        message="A home address tells strangers exactly where to find you.",
        suggestion="Send the address privately to the people you invite.",
        lesson=PERSONAL,
    ),
    # privacy.school: naming one's own school
    Rule(
        id="privacy.school.named",
        keywords=(
            "high",
            "school",
            "academy",
            "primary",
            "secondary",
            "elementary",
            "college",
            "sixth form",
        ),
        category="privacy.school",
        severity="medium",
        pattern=re.compile(
            r"(?P<name>(?:\b[a-z][a-z'.-]*\s+){1,3})(?P<kind>high school|middle school|"
            r"junior high|elementary school|elementary|primary school|secondary school|"
            r"academy|grammar school|prep school|sixth form college|community college|"
            r"high|primary|secondary|college)\b"
        ),
        context=re.compile(
            r"\b(?:i|i'?m|im|we|we'?re|my|our|us|me)\b|first day|"
            r"go(?:ing)? to|attend|\byear \d|grade|class of|freshman|"
            r"sophomore|students? at|#"
        ),
        counter=re.compile(
            r"\bvs\.?\b|against|\bbeat\b|lost to|played|visited|"
            r"went to (?:see|watch)|news|report|rival|opponents?|used to go|"
            r"my (?:mum|mom|dad|brother|sister|cousin|friend)|his |her "
        ),
        base=0.2,
        context_weight=0.8,
        counter_weight=0.8,
        threshold=1.0,
        window=40,
        group="name",
        validator=_own_school_name,
        message="Naming your school tells people where you are on most weekdays.",
        suggestion="Say 'at school' instead of naming it.",
        lesson=PERSONAL,
    ),
    # privacy.location: where you are right now
    Rule(
        id="privacy.location.come_find_me",
        keywords=("come ", "find me", "meet me", "pull up", "here at", "swing by", "stop by"),
        category="privacy.location",
        severity="high",
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
        message="Saying where you are right now lets anyone who reads it turn up there.",
        suggestion="Post about the place after you have left.",
        lesson=PERSONAL,
    ),
    Rule(
        id="privacy.location.here_now",
        keywords=(
            "now",
            "rn",
            "atm",
            "at the moment",
            "until",
            "till",
            "for the next",
            "all day",
            "all afternoon",
            "all evening",
        ),
        category="privacy.location",
        severity="high",
        pattern=re.compile(
            r"(?:\bi'?m|\bim|\bi am|\bwe'?re|\bwe are|\bcurrently|\bsitting|\bchilling|"
            r"\bhanging out|\bstuck|\bwaiting)\s+(?:\w+\s+){0,2}?(?:at|in)\s+(?:the\s+)?"
            r"[a-z0-9'&.-]+(?:\s+[a-z0-9'&.-]+){0,4}?\s*(?:,\s*)?"
            r"(?:right now|\brn\b|atm|at the moment|until \d|till \d|until [a-z]+|"
            r"till [a-z]+|for the next|all (?:day|afternoon|evening))"
        ),
        counter=re.compile(
            r"last (?:year|summer|week|month|time)|yesterday|ago|\bwas\b|"
            r"\bwere\b|tomorrow|next week"
        ),
        message="Saying where you are right now lets anyone who reads it turn up there.",
        suggestion="Post about the place after you have left.",
        lesson=PERSONAL,
    ),
    Rule(
        id="privacy.location.pin",
        keywords=("📍", "live ", "location"),
        category="privacy.location",
        severity="high",
        pattern=re.compile(
            r"📍\s*\S.{0,40}?(?:right now|\brn\b|\bnow\b|come|join)|"
            r"live (?:location|from)\b|sharing my location|location is on"
        ),
        message="Saying where you are right now lets anyone who reads it turn up there.",
        suggestion="Post about the place after you have left.",
        lesson=PERSONAL,
    ),
    # privacy.away: the house is empty
    Rule(
        id="privacy.away.empty_home",
        keywords=(
            "alone",
            "empty",
            "nobody",
            "no one",
            "to myself",
            "away",
            "out of town",
            "vacation",
            "holiday",
            "gone",
            "abroad",
            "overseas",
            "all mine",
        ),
        category="privacy.away",
        severity="high",
        pattern=re.compile(
            r"home alone|house (?:is|will be|'s) (?:empty|all mine|to myself)|empty house|"
            r"nobody(?:'s| is)? (?:home|at home|in the house)|no one(?:'s| is)? (?:home|at home)|"
            r"(?:whole |the )?(?:house|place|flat|apartment) to myself|"
            r"(?:parents|mum|mom|dad|family|folks|we|the fam)\s+(?:are|is|'re|will be|gone|"
            r"went|left|away)?\s*(?:away|out of town|on (?:vacation|holiday)|gone|abroad|"
            r"overseas)\b(?:\s+(?:for|until|till|all|this|the|from))?"
        ),
        counter=re.compile(
            r"\bwas\b|\bwere\b|last (?:week|year|summer|month|time)|got back|"
            r"back home|came back|ago|away game|away match|far away|"
            r"away from (?:my|the) (?:phone|desk|screen)"
        ),
        validator=lambda match, text: (
            "alone" in match.group(0)
            or "empty" in match.group(0)
            or "nobody" in match.group(0)
            or "no one" in match.group(0)
            or "to myself" in match.group(0)
            or "all mine" in match.group(0)
            or re.search(
                r"for|until|till|all|this|weekend|week|days|tonight|tomorrow|"
                r"\bnow\b|\bsun|\bmon|\btue|\bwed|\bthu|\bfri|\bsat|house|home|"
                r"\d",
                text.lower[match.start() : match.end() + 40],
            )
            is not None
        ),
        message="Telling people your home is empty tells burglars when to come.",
        suggestion="Share the trip photos once you are back home.",
        lesson=PERSONAL,
    ),
    Rule(
        id="privacy.away.leaving",
        keywords=("week", "day", "month", "night", "weekend", "summer", "holidays"),
        category="privacy.away",
        severity="high",
        pattern=re.compile(
            r"(?:leaving|flying|off|heading|going|away|gone|driving)\s+(?:out\s+)?"
            r"(?:tomorrow|tonight|today|on (?:friday|saturday|sunday|monday))?\s*"
            r"(?:to|for)\s+(?:\w+\s+){0,3}?(?:for|until|till)\s+(?:(?:a|two|three|\d+)\s+)?"
            r"(?:whole\s+)?(?:weeks?|days|months?|nights|the (?:weekend|week|summer|holidays))"
        ),
        counter=re.compile(
            r"\bwas\b|\bwere\b|last (?:week|year|summer|month)|got back|"
            r"back home|ago|\bmy (?:friend|cousin|brother|sister|teacher)\b|"
            r"\bsh?e'?s\b|\bhe'?s\b|\bthey'?re\b"
        ),
        message="Announcing a trip while you are away tells people your home is empty.",
        suggestion="Share the trip photos once you are back home.",
        lesson=PERSONAL,
    ),
    # privacy.credentials
    Rule(
        id="privacy.credentials.secret",
        keywords=(
            "pass",
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
        category="privacy.credentials",
        severity="high",
        pattern=re.compile(
            r"(?:password|passwd|pwd|passcode|pass code|pin(?: code| number)?|wi-?fi(?: password)?|"
            r"login|log-in|locker (?:code|combo|combination)|lock (?:code|combo|combination)|"
            r"door code|gate code|alarm code|combo|access code|verification code|2fa code|"
            r"security code|cvv|cvc)\s*(?:(?:is|was)\s*[:=-]?|[:=-]|'s)\s*[\"'“]?[^\s\"'”]{3,}"
        ),
        counter=re.compile(
            r"strong|never share|don'?t share|do not share|should|change your|"
            r"reset|forgot|hint|tips?\b|make sure|use a|too short|secure"
        ),
        counter_weight=0.6,
        validator=lambda match, text: (
            re.search(
                r"(?:is|was|=|:|-|'s)\s*[\"'“]?(?:a|the|too|not|very|so|my|your|same|still|"
                r"long|short|easy|hard|strong|weak|secret|changed|different|correct|wrong)\b",
                match.group(0),
            )
            is None
        ),
        message="Anyone who reads a password, PIN or code can use it: keep it secret, even "
        "from friends.",
        suggestion="Delete it from the post, and change the password or code now.",
        lesson=PERSONAL,
    ),
    Rule(
        id="privacy.credentials.card",
        trigger=re.compile(r"\d{4}[ -]?\d{4}"),
        category="privacy.credentials",
        severity="high",
        pattern=re.compile(r"(?<![\d-])\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{1,7}(?![\d-])"),
        validator=_card_number,
        message="A card number in a post can be used to steal money.",
        suggestion="Never post card numbers; tell the card holder so they can block it.",
        lesson=PERSONAL,
    ),
    Rule(
        id="privacy.credentials.id_number",
        keywords=(
            "student",
            "employee",
            "staff",
            "badge",
            "member",
            "library",
            "social security",
            "ssn",
            "passport",
            "licen",
            "insurance",
            "ni",
            "medicare",
            "tax file",
            "account",
            "routing",
            "sort code",
            "id card",
        ),
        category="privacy.credentials",
        severity="high",
        pattern=re.compile(
            r"(?:student|employee|staff|badge|member(?:ship)?|library card|social security|ssn|"
            r"passport|driver'?s? licen[cs]e|licen[cs]e|national insurance|ni|medicare|"
            r"tax file|bank account|account|routing|sort code|id card)\s*"
            r"(?:id\s*)?(?:number|no\.?|num|#)?\s*(?:is|was|=|:|-)?\s*[a-z]{0,3}[-\s]?\d[\d\s-]{3,}\d"
        ),
        counter=re.compile(r"order|tracking|invoice|reference|\bref\b"),
        validator=lambda match, text: len(_digits(match.group(0))) >= 4,
        message="ID and account numbers let others pretend to be you or get into your accounts.",
        suggestion="Take the number out of the post.",
        lesson=PERSONAL,
    ),
    # spam.ask
    Rule(
        id="spam.ask.follow_share",
        keywords=(
            "follow",
            "sub",
            "like",
            "share",
            "retweet",
            "rt",
            "repost",
            "reblog",
            "boost",
            "smash",
            "hit",
        ),
        category="spam.ask",
        severity="low",
        pattern=re.compile(
            r"(?:^|[.!?\n:]\s*|[^\w\s'’,]\s*|\b(?:please|pls|plz|pleaseee*|pretty please|"
            r"go|so|and|just|can you|could you|can u|would you|everyone|guys|y'all|you all|"
            r"ppl|people|all)\s+)"
            r"(?:follow|sub(?:scribe)?|like|share|retweet|rt|repost|reblog|boost|smash|hit)\b"
            r"(?:\s+(?:and|&|\+|n)\s+(?:follow|sub(?:scribe)?|like|share|retweet|rt|repost|"
            r"comment))*\s+(?:me|my|this|us|our|back|for|pls|please|plz|that|the (?:link|"
            r"like|follow|post)|if|it|everything|now|him|her)\b"
        ),
        counter=re.compile(
            r"\bi (?:really )?like\b|would you like|if you like|do you like|"
            r"like this one better|share (?:my|your) (?:opinion|thoughts)"
        ),
        window=10,
        message="Asking people to follow, like or share comes across as spam; good posts "
        "get shared on their own.",
        suggestion="Post something worth sharing and let people decide.",
        lesson=SPAM,
    ),
    Rule(
        id="spam.ask.swap",
        keywords=(
            "follow",
            "like",
            "sub",
            "f4f",
            "l4l",
            "s4s",
            "help me",
            "get me to",
            "reach me to",
            "hit me to",
            "spread the word",
            "rt",
            "retweet",
            "share",
        ),
        category="spam.ask",
        severity="low",
        pattern=re.compile(
            r"follow (?:4|for) follow|like (?:4|for) like|\bf4f\b|\bl4l\b|"
            r"sub (?:4|for) sub|\bs4s\b|follow back|followback|#followme|"
            r"#likeforlike|help me (?:get|reach|hit) \d+[k]? (?:followers|likes|"
            r"subs|subscribers)|(?:get|reach|hit) me to \d+[k]? (?:followers|"
            r"subs|subscribers)|spread the word|please rt|pls rt|plz rt|"
            r"rt if|rt to|retweet if|retweet to|share if|share to win"
        ),
        message="Asking people to follow, like or share comes across as spam; good posts "
        "get shared on their own.",
        suggestion="Post something worth sharing and let people decide.",
        lesson=SPAM,
    ),
    # spam.link_only
    Rule(
        id="spam.link_only.bare",
        keywords=("http", "www.", "bit.ly", "tinyurl", "t.co", "goo.gl"),
        category="spam.link_only",
        severity="low",
        pattern=URL,
        validator=_only_a_link,
        message="A post that is only a link looks like an advert; people skip it.",
        suggestion="Say in your own words why the link is worth a look.",
        lesson=SPAM,
    ),
    # spam.hype
    Rule(
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
        category="spam.hype",
        severity="medium",
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
        message="Promises of easy money are the classic sign of a scam, and sharing them "
        "makes you look like one.",
        suggestion="Share real results in plain words, without promises.",
        lesson=SPAM,
    ),
    Rule(
        id="spam.hype.followers",
        keywords=(
            "followers",
            "likes",
            "subscribers",
            "subs",
            "views",
            "fans",
            "guarantee",
            "viral",
        ),
        category="spam.hype",
        severity="medium",
        pattern=re.compile(
            r"(?:get|gain|grow|buy|boost|get you)\s+(?:\d+[\d,]*k?|thousands of|tons of|"
            r"hundreds of|real|instant|more)\s*(?:real |active |instant )?"
            r"(?:followers|likes|subscribers|subs|views|fans)"
            r"(?:\s+(?:fast|quick|quickly|overnight|instantly|guaranteed|today|in \d+|for free|"
            r"free|now|cheap|for just|for only))"
            r"|(?:100\s?%|fully|totally|money[- ]back)\s*guarantee|guaranteed\s+(?:results|"
            r"growth|income|profit|returns|followers|likes|to)|\bgo viral (?:guaranteed|fast)"
        ),
        message="Promises of quick followers or guaranteed results are the classic sign of a "
        "scam; bought followers are fake.",
        suggestion="Grow by posting things people want to see.",
        lesson=SPAM,
    ),
    # spam.auto_dm
    Rule(
        id="spam.auto_dm.thanks_push",
        keywords=("thank", "thx", "ty ", "tysm"),
        category="spam.auto_dm",
        severity="medium",
        pattern=re.compile(
            r"(?:thanks|thank you|thx|ty|tysm|thank u|many thanks)\s+"
            r"(?:so much\s+)?for\s+(?:the\s+)?(?:follow|following|connecting|"
            r"the connect|adding me|subscribing)"
        ),
        validator=_pushes_something,
        message="An automatic 'thanks for following, now visit my page' feels like spam "
        "to the person who just followed you.",
        suggestion="Thank people personally, or just start a real conversation.",
        lesson=SPAM,
    ),
    # spam.mass_tag
    Rule(
        id="spam.mass_tag.handles",
        keywords=("@",),
        category="spam.mass_tag",
        severity="low",
        pattern=re.compile(r"(?<![\w.])@[a-z0-9_.]{1,30}(?:[\s,&]+(?:and\s+)?@[a-z0-9_.]{1,30})+"),
        validator=_many_handles,
        message="Tagging lots of people at once feels like spam to them.",
        suggestion="Tag only the people who are really in the post.",
        lesson=SPAM,
    ),
    Rule(
        id="spam.mass_tag.chain",
        keywords=("tag",),
        category="spam.mass_tag",
        severity="low",
        pattern=re.compile(
            r"\btag\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|"
            r"some|someone|somebody|a (?:friend|mate|bestie|person|buddy)|"
            r"(?:all )?your (?:friends|besties|mates|squad|bff|bestie)|"
            r"every(?:one|body)|your)\s*(?:friends?|people|mates|besties)?"
            r"\s*(?:who|that|whos|who's|u|you|if|to|and|below|in|,|!|$)"
        ),
        message="'Tag your friends' chains spread posts by pestering people.",
        suggestion="Tag only the people who are really in the post.",
        lesson=SPAM,
    ),
    # tone.hurtful (reads the text with leetspeak undone)
    Rule(
        id="tone.hurtful.insult",
        trigger=re.compile(rf"\b(?:{INSULTS})\b"),
        category="tone.hurtful",
        severity="medium",
        view="leet",
        pattern=re.compile(
            r"\b(?P<target>you|you'?re|youre|ur|u r|u|ya|yall|y'all|you guys|you all|he'?s|she'?s|"
            r"they'?re|hes|shes|theyre|@[a-z0-9_.]+|[a-z]+ is|[a-z]+ was|i'?m|im|i am)\s+"
            r"(?:(?:such|so|really|literally|a|an|the|total|complete|absolute|fucking|freaking|"
            r"stupid|ugly|fat|dumb|big|little|lil|just|being|acting|like|an?|what|are|is|r)\s+){0,4}"
            rf"(?:{INSULTS})\b"
        ),
        validator=_aimed_at_someone,
        message="Calling someone names hurts them and sticks to you: it is there for "
        "everyone to see, long after you have cooled down.",
        suggestion="Say what bothered you without attacking the person, or talk to them privately.",
        lesson=NETIQUETTE,
    ),
    Rule(
        id="tone.hurtful.attack",
        keywords=(
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
            "end ",
            "break",
            "what a",
            "such a",
            "look at",
            "@",
            "shut up",
        ),
        category="tone.hurtful",
        severity="high",
        view="leet",
        pattern=re.compile(
            r"\b(?:nobody|no one|noone|everyone|everybody|we all)\s+(?:likes|hates|loves|wants)\s+"
            r"(?:you|u|ya|him|her|them)\b(?<!loves you)(?<!loves u)(?<!loves him)"
            r"(?<!loves her)(?<!loves them)"
            r"|\bkys\b|kill (?:yo)?urself|go die\b|you should die|drop dead|"
            r"(?:i'?ll|i will|im gonna|i'?m gonna|i'?m going to|gonna|going to|we'?ll|"
            r"we will)\s+(?:beat|punch|hurt|kill|smash|slap|stab|jump|end|break)\s+"
            r"(?:you|u|ya|him|her|them|your|ur|@[a-z0-9_.]+)\b"
            r"|(?:what an?|such an?|look at this|look at that)\s+(?:(?:ugly|fat|stupid|dumb|"
            rf"total|complete|absolute)\s+)*(?:{INSULTS})\b\s*@[a-z0-9_.]+"
            rf"|@[a-z0-9_.]+\s+(?:the|you|u)\s+(?:{INSULTS})\b"
            r"|\bshut up,?\s+(?:you\b|u\b|@)"
        ),
        counter=re.compile(
            r"in (?:fortnite|minecraft|chess|the game|roblox|fifa|mario ?kart|"
            r"a race|the match|ping ?pong|tennis)|at (?:fortnite|chess|fifa|"
            r"mario ?kart)|\blol jk\b"
        ),
        window=30,
        message="Threats and pile-ons hurt people and can get you into real trouble, even "
        "as a joke.",
        suggestion="Step away from the screen, and talk it through with someone you trust.",
        lesson=NETIQUETTE,
    ),
    # tone.private_exposure
    Rule(
        id="tone.private_exposure.messages",
        keywords=(
            "what",
            "screenshot",
            "told",
            "texted",
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
        ),
        category="tone.private_exposure",
        severity="medium",
        pattern=re.compile(
            r"(?:look|see|check|guess|read|lol|omg|wait|this is|here'?s|heres)\s+(?:at\s+)?"
            r"what\s+(?:@?[a-z0-9_.]+\s+){1,2}(?:just\s+)?(?:dm'?d|dmed|texted|messaged|sent|"
            r"wrote|said to me|snapped|told me)"
            r"|screenshots?\s+(?:of\s+)?(?:@?[a-z0-9_.]+'?s?\s+){1,2}(?:texts?|messages?|"
            r"dms?|chats?|convo|conversation|snaps?)"
            r"|(?:@?[a-z0-9_.]+)\s+(?:told|texted|messaged|dm'?d|dmed)\s+me\s+(?:in secret|"
            r"privately|in private|not to tell|that (?:she|he|they)|to keep)"
            r"|(?:exposing|leaking|leak|posting|sharing|spilling)\s+(?:@?[a-z0-9_.]+'?s?\s+)?"
            r"(?:private |secret )?(?:dms|texts|messages|chats?|secrets?|group chat|gc)"
            r"|(?:in|from) (?:our|the) (?:group chat|gc|dms)\s*[:\-,]?\s*(?:@?[a-z0-9_.]+\s+)?"
            r"(?:said|says|admitted|told)"
            r"|(?:her|his|their|@[a-z0-9_.]+'?s?) (?:big |biggest |little )?secret (?:is|was)"
            r"|(?:don'?t|do not) tell (?:@?[a-z0-9_.]+ )?(?:i|that i) (?:posted|told|shared)"
        ),
        message="Sharing someone's private messages or secrets breaks their trust, and "
        "once it is posted they cannot take it back.",
        suggestion="Keep it between you, or ask them before you share anything.",
        lesson=PUBLIC,
    ),
)
