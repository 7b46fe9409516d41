"""Small generic word lists used to find people in text (no story-specific names here).

Everything in this module is generic English / Korean-drama vocabulary: function words,
calendar words, place and organisation cues, networks and publications, role nouns,
gendered nouns, verbs that people do. No character, actor or title of any evaluation text
appears here.
"""

from __future__ import annotations

from collections.abc import Iterable


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in text.split() if w)


# Capitalised words that begin sentences, headings and cues but are not names.
STOPWORDS = _words(
    """
    a an the this that these those there here then than thus so such some any each every
    all both either neither no nor not only own same other another much many more most
    less least few several enough
    i i'm i'll i've i'd me my mine myself we we're we'll we've we'd us our ours ourselves
    you you're you'll you've you'd your yours yourself yourselves he he's he'll he'd him his
    himself she she's she'll she'd her hers herself it it's it'll its itself they they're
    they'll they've they'd them their theirs themselves one ones someone somebody something
    anyone anybody anything everyone everybody everything nobody nothing none noone
    what what's whatever which whichever who who's whom whose whoever why how how's when
    whenever where wherever while whilst whether
    and but or if because as since until unless though although however therefore
    meanwhile moreover furthermore otherwise instead still yet also too even just very
    really quite rather almost already always never ever often sometimes soon later now
    once again back away finally suddenly slowly quickly quietly gently softly eventually
    immediately instantly perhaps maybe actually apparently clearly obviously certainly
    surely hopefully sadly luckily unfortunately fortunately together alone elsewhere
    inside outside above below under over after before during through throughout across
    into onto upon within without about around against along among between beyond behind
    beside besides near off on in at by for from of to with toward towards past via per
    is am are was were be been being do does did done doing have has had having can could
    may might must shall should would won't don't doesn't didn't can't couldn't
    shouldn't wouldn't isn't aren't wasn't weren't hasn't haven't hadn't let let's
    yes yeah yep nope no oh ah uh um hmm huh hey hi hello bye goodbye okay ok well wow
    please thanks thank sorry excuse wait look listen stop go come get see watch
    god gosh jesus christ damn hell shit fuck
    mr mrs ms miss dr sir madam ma'am mister lady lord
    first second third last next previous new old big little good bad great best worst
    one two three four five six seven eight nine ten eleven twelve twenty hundred thousand
    int ext int/ext i/e cut fade dissolve smash match wipe continued cont'd cont con't
    contd more omitted insert close closeup close-up angle pov wide shot shots reverse
    tracking aerial montage series flashback flash end the_end title titles super
    subtitle subtitles caption credits credit intercut later moments day night morning
    evening afternoon dawn dusk noon midnight continuous same time v.o. o.s. o.c. voice
    voices sound sfx music song scene sequence episode act chapter part
    beat pause silence
    also read share comments comment watch video here quiz take tell us below above
    video photo photos image images source via credit trailer teaser
    """
)
MONTHS = _words("january february march april june july august september october november december")
DAYS = _words(
    "monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday "
    "tonight christmas easter halloween thanksgiving chuseok seollal"
)
# Places and peoples: a capitalised sequence made only of these is not a person.
PLACES = _words(
    """
    korea korean koreans seoul busan pusan incheon daegu daejeon gwangju ulsan suwon jeju
    gangnam itaewon hongdae myeongdong jongno insadong gangwon gyeonggi jeolla gyeongsang
    chungcheong pyongyang japan japanese tokyo osaka kyoto china chinese beijing shanghai
    hong kong taiwan thailand thai vietnam philippines india indian asia asian europe
    european america american americans usa u.s. us uk britain british england english
    london paris france french germany german berlin italy italian rome spain spanish
    madrid russia russian moscow canada canadian australia australian sydney mexico
    mexican brazil brazilian africa african egypt israel jerusalem new york la los angeles
    chicago boston texas california florida washington hollywood vegas las san francisco
    minnesota manhattan brooklyn jersey mars earth moon heaven
    christians catholic jewish muslim buddhist
    """
)
PLACE_SUFFIXES = _words(
    """
    street st road rd avenue ave boulevard blvd lane drive highway station airport
    hospital school academy university college high church temple palace castle tower
    building apartments apartment hotel motel cafe café restaurant bar club mall market
    store shop drug drugstore office company corporation corp inc ltd co group bank
    entertainment studios studio media network news magazine times post herald daily
    weekly tribune journal gazette press agency broadcasting productions pictures records
    river mountain mountains lake sea ocean island beach valley forest bridge city town
    village county state province district square plaza center centre hall house home
    prison jail court department police precinct
    """
)
# Broadcasters and streaming services (generic industry list).
NETWORKS = _words(
    """
    tvn jtbc kbs kbs1 kbs2 sbs mbc ocn ena mnet mbn tving wavve netflix viki viu iqiyi
    hulu hbo kocowa ondemandkorea youtube nbc cbs bbc itv cnn showtime starz
    """
)
# Entertainment news sites and magazines (generic industry list).
PUBLICATIONS = _words(
    """
    pinkvilla soompi dramabeans allkpop koreaboo naver daum dispatch yonhap newsen osen
    kdramastars sportschosun xportsnews starnews mydaily tenasia hancinema kpopstarz
    dramafever mydramalist asianwiki buzzfeed screenrant collider rappler bustle
    cosmopolitan
    """
)
# Words around a name that make it a work title, not a person ("True Beauty couple").
WORK_CONTEXT = _words(
    """
    character characters couple couples episode episodes ep drama dramas k-drama kdrama
    series season seasons show shows fans fandom ost poster posters trailer teaser finale
    premiere remake webtoon film movie movies novel manhwa manga cast universe franchise
    title soundtrack ratings rating viewers broadcast
    team fanclub shippers
    """
)
# Sentences with these words talk about actors and the production, not the story.
ACTOR_CONTEXT = _words(
    """
    actor actors actress actresses cast casting starring stars starred co-star costar
    co-stars portrays portrayed portraying portrayal performance performances acting
    chemistry on-screen onscreen screen off-screen filming filmed shoot-set agency debut
    role roles played plays playing
    """
)
# Possessed nouns that only people have ("Ju Gyeong's heart", "Han's classmates").
PERSON_NOUNS = _words(
    """
    heart face eyes eye hand hands hair lips head voice mind feelings feeling love crush
    mother father mom dad mum parents sister brother son daughter wife husband girlfriend
    boyfriend friend friends classmate classmates family boss colleague colleagues
    grandmother grandfather grandma grandpa aunt uncle cousin ex fiance fiancee
    attempt attempts life death room house apartment phone room desk bag words smile
    tears confession relationship past secret side arm arms shoulder shoulders body
    feelings kiss fault distance photoshoot career dream dreams wrist forehead
    """
)
# Title words that open a name ("Mr. Kim", "Director Han") and what gender they state.
TITLE_GENDER: dict[str, str | None] = {
    "mr": "male",
    "mister": "male",
    "sir": "male",
    "lord": "male",
    "king": "male",
    "prince": "male",
    "mrs": "female",
    "ms": "female",
    "miss": "female",
    "madam": "female",
    "lady": "female",
    "queen": "female",
    "princess": "female",
    "dr": None,
    "doctor": None,
    "prof": None,
    "professor": None,
    "director": None,
    "teacher": None,
    "detective": None,
    "officer": None,
    "captain": None,
    "chairman": "male",
    "chairwoman": "female",
    "president": None,
    "ceo": None,
    "manager": None,
    "nurse": None,
    "coach": None,
    "uncle": "male",
    "aunt": "female",
    "auntie": "female",
    "grandma": "female",
    "grandpa": "male",
    "sergeant": None,
    "agent": None,
    "judge": None,
    "father": "male",
    "sister": "female",
    "brother": "male",
}
# Nouns that state a gender ("a girl", "the actress", "her mother").
GENDER_NOUNS: dict[str, str] = {
    **{
        w: "male"
        for w in [
            "man",
            "men",
            "boy",
            "boys",
            "guy",
            "guys",
            "gentleman",
            "gentlemen",
            "male",
            "father",
            "dad",
            "daddy",
            "papa",
            "son",
            "brother",
            "husband",
            "boyfriend",
            "king",
            "prince",
            "lord",
            "sir",
            "mr",
            "mister",
            "uncle",
            "nephew",
            "grandfather",
            "grandpa",
            "grandson",
            "actor",
            "waiter",
            "host",
            "steward",
            "businessman",
            "chairman",
            "policeman",
            "fireman",
            "salesman",
            "monk",
            "priest",
            "groom",
            "bridegroom",
            "widower",
            "stepfather",
            "stepson",
            "stepbrother",
            "oppa",
            "hyung",
            "ajusshi",
            "ajussi",
            "ahjussi",
            "abeoji",
            "appa",
            "harabeoji",
        ]
    },
    **{
        w: "female"
        for w in [
            "woman",
            "women",
            "girl",
            "girls",
            "lady",
            "ladies",
            "gal",
            "female",
            "mother",
            "mom",
            "mommy",
            "mum",
            "mama",
            "daughter",
            "sister",
            "wife",
            "girlfriend",
            "queen",
            "princess",
            "madam",
            "mrs",
            "ms",
            "miss",
            "aunt",
            "auntie",
            "niece",
            "grandmother",
            "grandma",
            "granddaughter",
            "actress",
            "waitress",
            "hostess",
            "stewardess",
            "businesswoman",
            "chairwoman",
            "policewoman",
            "saleswoman",
            "nun",
            "bride",
            "widow",
            "stepmother",
            "stepdaughter",
            "stepsister",
            "unnie",
            "eonni",
            "onni",
            "noona",
            "nuna",
            "ajumma",
            "ahjumma",
            "eomma",
            "omma",
            "eomeoni",
            "halmeoni",
        ]
    },
}
# Unnamed roles that can be characters ("the director", "her mother").
ROLE_NOUNS = _words(
    """
    director manager teacher doctor nurse waiter waitress bartender driver chauffeur guard
    officer policeman policewoman detective inspector sergeant captain lieutenant general
    soldier principal chairman chairwoman president ceo boss secretary assistant
    photographer reporter journalist producer writer stylist makeup clerk cashier
    receptionist janitor landlord landlady neighbour neighbor stranger man woman boy girl
    kid child baby mother father mom dad grandmother grandfather grandma grandpa aunt
    uncle sister brother wife husband son daughter girlfriend boyfriend friend lawyer judge
    priest monk pastor coach trainer maid butler housekeeper cook chef owner customer
    client patient student classmate senior junior intern colleague coworker co-worker
    host hostess announcer narrator operator technician attendant stewardess pilot
    doorman bodyguard thug gangster killer thief prisoner inmate warden sheriff deputy
    marshal agent spy nun king queen prince princess emperor empress servant minister
    professor dean tutor vendor merchant shopkeeper salesman saleswoman mailman
    postman delivery messenger paramedic surgeon therapist psychiatrist counselor
    """
)
# Cues that are not one character.
GROUP_CUES = _words(
    "all both everyone everybody together crowd others voices group class kids students "
    "chorus audience men women boys girls guys people team unison"
)
NOT_CUES = _words(
    """
    cut fade dissolve smash match wipe continued cont'd contd more omitted insert close
    closeup angle pov wide shot reverse tracking aerial montage series flashback end
    the_end title super subtitle caption credits intercut later moments back to in out
    scene same time day night morning evening continuous beat silence black white
    transition freeze frame iris
    """
)
PRONOUNS_MALE = frozenset({"he", "him", "his", "himself"})
PRONOUNS_FEMALE = frozenset({"she", "her", "hers", "herself"})
# adverbs that follow an object "her" ("loves her deeply", "has loved her ever since"),
# where a noun would follow a possessive one ("her family", "her lovely smile")
OBJECT_ADVERBS = _words(
    "already anymore dearly deeply desperately ever forever madly secretly still truly "
    "unconditionally"
)
# After "her", these words mean "her" is an object, not a possessive ("backing her against",
# "walks her home": a gender vote rests on a possessive "her", so "her home" gives none).
FUNCTION_WORDS = (
    STOPWORDS
    | OBJECT_ADVERBS
    | _words(
        "close closer up down out in away back off again too now then there here at and or "
        "against onto into on to if that as so home"
    )
)

_VERB_LEMMAS = """
say tell ask reply answer respond explain admit confess announce declare shout yell
scream whisper mutter murmur sigh gasp laugh giggle chuckle cry sob weep smile grin
smirk frown glare stare gaze glance look peer watch see notice spot realise realize
recognise recognize feel think know believe wonder decide agree refuse offer try want
need love like hate blame snap blink nod shake shrug lean tilt stop start begin wait
call walk run rush hurry race stride stalk storm march wander stroll step jump leap
climb sit stand rise lie kneel crouch turn spin twist move shift slide slip fall trip
stumble grab seize snatch pull push drag carry lift raise lower drop throw toss catch
hold hug embrace kiss touch stroke pat slap punch hit kick shove open shut close lock
enter leave exit arrive come go return approach follow chase join meet greet find
discover choose pick take give hand pass bring send show hide reveal read write sign
draw paint sing dance play eat drink swallow chew sip swig smoke light help wipe brace
hover slouch click snap lean wince flinch shudder tremble shiver panic freeze hesitate
pause linger hang sneer regard gape gawk yawn stretch sleep wake dream drive ride fly
swim point wave gesture beckon motion signal lead guide steer tease joke flirt argue
fight struggle protest insist demand beg plead pray promise swear lie cheat steal
kill shoot stab attack defend protect save rescue escape flee dodge duck retreat sneak
creep tiptoe pace fidget tap knock ring dial text type check search scan study examine
inspect test wonder worry panic relax calm soften harden blush flush pale smile cry
break realise confront comfort console reassure apologise apologize thank notice
slams bang enter stops tags agree resume clear tries back shoot snap declare propose
marry date visit accompany flinch clutch grip squeeze shake nudge poke lunge storm
"""
_IRREGULAR = _words(
    """
    said told asked thought knew felt saw came went took gave fell ran sat stood held
    caught found chose began left met got made kept spoke wrote drove rode ate drank
    slept woke put hit cut let brought bought sent spent lost won fought taught understood
    forgot forgave hid shook rose lay drew sang swam threw flew grew stole struck stuck
    swung wore tore led fled bent lit sought slid spun froze broke chose became
    """
)


def _inflect(lemmas: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for w in lemmas:
        out.add(w)
        if w.endswith("e"):
            out.update({w + "s", w + "d", w[:-1] + "ing"})
        elif w.endswith("y") and w[-2:-1] not in "aeiou":
            out.update({w[:-1] + "ies", w[:-1] + "ied", w + "ing"})
        elif w.endswith(("s", "sh", "ch", "x", "z", "o")):
            out.update({w + "es", w + "ed", w + "ing"})
        else:
            out.update({w + "s", w + "ed", w + "ing", w + w[-1] + "ed", w + w[-1] + "ing"})
    return frozenset(out)


HUMAN_VERBS = _inflect(_VERB_LEMMAS.split()) | _IRREGULAR
SPEECH_VERBS = _inflect(
    [
        "say",
        "tell",
        "ask",
        "reply",
        "answer",
        "respond",
        "explain",
        "admit",
        "confess",
        "announce",
        "declare",
        "shout",
        "yell",
        "scream",
        "whisper",
        "mutter",
        "murmur",
        "cry",
        "snap",
        "call",
        "add",
        "continue",
        "insist",
        "demand",
        "beg",
        "plead",
    ]
) | _words("said told")
# "-s" words after a name that are not verbs ("Juno's" is handled before this).
NOT_VERBS_S = _words(
    "is was has does its this his hers yours ours theirs always perhaps towards afterwards "
    "besides sometimes nevertheless unless thus plus news series species ones others yes"
)
# States a person is in ("Seo Jun is crushed", "Ju Gyeong is confused").
HUMAN_STATES = _words(
    """
    confused crushed heartbroken shocked surprised stunned angry furious upset sad happy
    hurt jealous embarrassed nervous scared afraid frightened worried anxious relieved
    excited tired exhausted drunk silent quiet stiff distant pretty beautiful handsome
    interested bored annoyed irritated frustrated disappointed devastated speechless
    startled terrified horrified amused pleased delighted thrilled determined desperate
    alone awake asleep dead alive pregnant sick ill injured wounded sorry
    """
)
# Korean kinship terms of address: (gender of the person addressed, gender of speaker).
KINSHIP_ADDRESS: dict[str, tuple[str, str | None]] = {
    "oppa": ("male", "female"),
    "oppaya": ("male", "female"),
    "hyung": ("male", "male"),
    "hyeong": ("male", "male"),
    "unnie": ("female", "female"),
    "eonni": ("female", "female"),
    "onni": ("female", "female"),
    "noona": ("female", "male"),
    "nuna": ("female", "male"),
    "ajumma": ("female", None),
    "ahjumma": ("female", None),
    "ajusshi": ("male", None),
    "ajussi": ("male", None),
    "ahjussi": ("male", None),
    "halmeoni": ("female", None),
    "harabeoji": ("male", None),
    "오빠": ("male", "female"),
    "형": ("male", "male"),
    "언니": ("female", "female"),
    "누나": ("female", "male"),
}
