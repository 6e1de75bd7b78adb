"""Which language a post is written in: the author's setting when known, else a cheap guess.

The guess counts the post's words found in a few hundred frequent words per language
(articles, pronouns, prepositions, common verbs and chat spellings) and the letters only
one of the languages uses (ñ ¿ ¡ for Spanish, ä ö ü ß for German). It reads the word set
the rules compute anyway, so it costs one set intersection per language. Ties, and posts
with no telling word, read as English: the English rules are the broadest.
"""

from __future__ import annotations

from learner.coach.text import Text

LANGUAGES = ("en", "es", "de")

# Words as the rules' tokens see them: runs of a-z and digits (accented letters split a
# word, so the lists keep to words written without them, or their unaccented pieces).
ENGLISH = frozenset(
    """
    the a an and or but if of to in on at for with from by about as into over after before
    i me my mine we us our you your yours he him his she her they them their it its this
    that these those is are was were be been being am do does did have has had will would
    can could should shall may might must not no yes so too very just only also then than
    there here what which who whom whose when where why how all any some every each most
    more much many few other such own same up down out off again once because while until
    im i'm dont don't cant can't wont won't didnt didn't isnt isn't ive i've youre you're
    u ur lol omg gonna wanna gotta tho thx pls plz rn tbh idk like get got go going went
    come came see saw know think want need love make made say said tell told today tonight
    tomorrow yesterday now new good great best day week weekend home school friend friends
    people time year years thanks thank please anyone everyone nobody someone something
    nothing really still even never always back way well look let keep first last next
    """.split()
)
SPANISH = frozenset(
    """
    el la los las un una unos unas lo al del y e o u pero si no que qu de en con por para
    sin sobre entre hasta desde hacia contra segun mi mis tu tus su sus nuestro nuestra
    nuestros nuestras vuestro vuestra yo me te se nos os le les ella ellos ellas usted
    ustedes vos este esta estos estas ese esa esos esas aquel eso esto es son era fue ser
    estar estoy estamos estan estaba hay hace hacer tengo tiene tienen tenemos voy vas va
    vamos van ir puedo puede pueden quiero quiere muy mas ya tambien bien mal aqui ahi
    alla cuando donde como quien cual porque pues entonces todo toda todos todas nada algo
    alguien nadie otro otra otros otras mismo misma cada casa hoy manana ayer ahora siempre
    nunca dia dias semana finde fin noche tarde amigo amiga amigos amigas gracias hola
    buenos buenas jaja jajaja jajajaja jeje jsjs xd q pq porfa tmb xq osea sea asi solo
    sola gente chicos chicas mama papa mamá papás padres viejos cumple escuela colegio
    clase cole insti mucho mucha muchos muchas poco poca dos tres cuatro cinco seis siete
    ocho nueve diez vez veces cosa cosas vida bueno buena nuevo nueva primer primera
    despues antes luego mejor peor sabe saben creo dice dijo quieren pasa paso vengan
    venid vean ver mira miren dale che wey neta re pa pal vale tio tia mola guay
    """.split()
)
GERMAN = frozenset(
    """
    der die das den dem des ein eine einen einem einer eines und oder aber wenn weil dass
    ob als wie wo was wer wann warum nicht kein keine keinen nur auch noch schon sehr so
    ich mich mir du dich dir er sie es wir uns ihr euch ihnen ihm ihn mein meine meinen
    meinem meiner dein deine deinen sein seine unser unsere euer eure bin bist ist sind
    seid war waren wird werden wurde hat habe haben hast hatte kann kannst koennen muss
    musst soll will wollen mag mit von zu zum zur bei nach aus auf an am im in um ueber
    unter vor hinter neben zwischen durch fuer gegen ohne bis seit heute morgen gestern
    jetzt immer nie hier da dort dann denn doch mal ja nein halt eben gerade einfach
    wieder alle alles jeder jede jedes viel viele mehr etwas nichts jemand niemand
    leute freunde freund freundin mama papa eltern schule klasse tag tage woche wochenende
    abend nacht danke bitte hallo hey hi tschuess gut neu neue neuen ersten erste zwei
    drei vier fuenf sechs sieben acht neun zehn haus hause zuhause geht gehen ging kommt
    kommen kam sagt sagen gesagt macht machen gemacht gibt geben weiss wisst glaube finde
    echt voll krass digga alter lol haha hahaha xd ne nee oh oder sich man wer wen wem euer
    diese dieser dieses diesen jetzt endlich einfach bald vielleicht naja genau eigentlich
    """.split()
)
SPANISH_LETTERS = frozenset("ñ¿¡áéíóú")
GERMAN_LETTERS = frozenset("äöüß")


def detect(text: Text) -> str:
    """The post's language, guessed: "en", "es" or "de"."""
    tokens = text.lower_tokens
    english = len(tokens & ENGLISH)
    spanish = len(tokens & SPANISH)
    german = len(tokens & GERMAN)
    if not text.lower.isascii():
        letters = frozenset(text.lower)
        spanish += 2 * len(letters & SPANISH_LETTERS)
        german += 2 * len(letters & GERMAN_LETTERS)
    if spanish > english and spanish >= german:
        return "es"
    if german > english and german > spanish:
        return "de"
    return "en"


def resolve(lang: str | None) -> str | None:
    """A language the coach has rules for ("es-MX" reads as "es"), else None (guess it)."""
    if not lang:
        return None
    lang = lang.lower().replace("_", "-").split("-")[0]
    return lang if lang in LANGUAGES else None
