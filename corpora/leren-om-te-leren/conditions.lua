-- conditions.lua — the study's preconditions for interorganisational learning
-- (thesis §4.5, §5: draagvlak, schaalgrootte, coördinatie, agenda, maturiteit)
-- and its outcome, effective learning as the study codes it (§4.1–4.3: learning
-- that adds value to a government's integration policy).
--
-- Read by plugins/lib/conditions.lua (the format is in docs/plugins.md,
-- "Conditions files"). Each condition names the codes whose turns are its
-- evidence and the cues that say which way a coded turn points: `support`
-- cues report the condition present (support, a mandate, a long history),
-- `oppose` cues report it absent (an eenmansdienst, no draagvlak, a network
-- that is only starting). A cue is a PCRE2 pattern matched case- and
-- accent-insensitively as whole words; a negation word up to two words
-- before a cue, in the same sentence, flips a supporting cue and voids an
-- opposing one (two, not three: in "'k weet niet hoeveel ja inspirerende
-- dingen" the "niet" does not negate "inspirerende"). The cues are general
-- wordings of each concept as the thesis defines it (§2.2.2, §3.2.1.2, §4.5),
-- never a phrase lifted from one quote.
--
-- raw = (supporting turns - opposing turns) / the case's turns, except for
-- schaalgrootte, whose raw value is the number of inhabitants, derived from
-- the Lokale Inburgerings- en Integratiemonitor (persons of foreign
-- nationality / their share of the inhabitants x 100).
--
-- Calibration anchors (Ragin's direct method) are on the raw scale and are
-- argued in corpora/leren-om-te-leren/README.md ("Conditions"): for the coded
-- conditions, no net evidence either way is full non-membership, one net
-- supporting turn in twenty the crossover, one in five full membership.

negation {
  words = { "niet", "ni", "nie", "geen", "gene", "nooit", "nauwelijks", "amper", "nergens" },
  window = 2,
  support = "flip",
  oppose = "void",
}

cases {
  exclude_speakers = { "I" },   -- the interviewer's questions are nobody's evidence
  network_turns = "meeting",    -- a network's evidence: its own focus group's turns
}

condition "draagvlak" {
  label = "political, administrative and societal support for integration policy",
  codes = { "randvoorwaarden/draagvlak" },
  -- Speaking of draagvlak is not having it: "draagvlak" alone is no cue. A
  -- statement that one must have it is neither (no cue); seeking or enlarging
  -- it says it is lacking.
  support = {
    [[(?:groot|grote|sterk\w*|breed|brede|veel) (?:\w+ )?(?:draagvlak|steun|engagement)]],
    [[(?:wil|willen|bereid) (?:\w+ ){0,4}(?:investeren|inzetten)|investeren in]],
    [[staan (?:\w+ ){0,2}achter|staat (?:\w+ ){0,2}achter]],
    [[(?:steun|gesteund|steunt) (?:\w+ ){0,3}(?:door|van|vanuit) (?:het |de )?(?:college|schepen\w*|burgemeester|bestuur|politiek\w*|gemeenteraad)]],
    [[(?:schepen\w*|college|burgemeester|bestuur) (?:\w+ ){0,3}(?:die )?(?:steun\w*|gelooft|investe\w*)]],
  },
  oppose = {
    [[(?:geen|zonder|weinig) (?:\w+ )?(?:draagvlak|steun|mandaat|toegang|handelingsruimte)]],
    [[draagvlak\w* (?:\w+ ){0,3}(?:krijgen|vergroten|verwerven|winnen)|draagvlakverwerving|uitdaging\w*]],
    [[gevecht|tegenwerk\w*|tegengewerkt|tegenhouden|blokkeer\w*|polariser\w*]],
    [[(?:kunnen|kan|kunt) (?:\w+ ){0,3}(?:niet|ni|nie) wegen]],
    [[(?:moeilijk\w*|lastig\w*) (?:\w+ ){0,3}(?:domein|verkopen|overtuigen)]],
  },
  default = "neutral",
  base = "turns",
  calibration = { method = "direct", anchors = { exclusion = 0, crossover = 0.05, inclusion = 0.2 } },
}

condition "schaalgrootte" {
  label = "size of the government and of its integration service",
  codes = { "randvoorwaarden/schaalgrootte" },
  support = {
    [[(?:grote|grotere|grootste) (?:stad|steden|gemeente\w*)|centrumst\w*]],
    [[(?:uitgebouwd\w*|omvangrijk\w*|eigen) (?:\w+ )?(?:dienst\w*|afdeling\w*|integratiebeleid)]],
    [[(?:tiental|twintig|dertig|veertig|\d+) (?:\w+ )?medewerkers]],
  },
  oppose = {
    [[eenmansdienst\w*]],
    [[(?:klein\w*|landelijk\w*) (?:gemeente\w*|besturen|bestuur)]],
    [[(?:alleen|maar één|maar een) (?:\w+ ){0,2}(?:bureau|dienst|persoon)]],
    [[geen (?:\w+ )?(?:personeel|uren|bestuurskracht)|bestuurskracht (?:\w+ ){0,2}niet]],
  },
  default = "neutral",
  indicators = {
    { name = "inwoners", quotient = { "Aantal personen met vreemde nationaliteit",
                                      "% t.o.v. totaal aantal inwoners" },
      factor = 100, network = "mean" },
    { indicator = "% t.o.v. totaal aantal inwoners", network = "mean" },
    { indicator = "Aantal nieuwkomers", network = "sum" },
  },
  raw = "inwoners",
  calibration = { method = "direct",
                  anchors = { exclusion = 10000, crossover = 30000, inclusion = 75000 } },
}

condition "coordinatie" {
  label = "a body that takes the lead in convening and steering the network",
  codes = { "randvoorwaarden/coordinatie" },
  support = {
    [[(?:getrokken|gecoördineerd|georganiseerd|aangestuurd|samengebracht) (?:\w+ ){0,2}door]],
    [[(?:trekt|trekken|organiseert|brengt) (?:\w+ ){0,4}(?:dat|het|overleg\w*|samen)]],
    [[(?:loopt|verloopt|draait) (?:\w+ ){0,2}(?:goed|vlot)]],
    [[trekker\w*|trekkersrol]],
  },
  oppose = {
    [[(?:moet|moeten|zou) (?:\w+ ){0,5}(?:trekken|aansturen|coördineren|gecoördineerd\w*|georganiseerd)]],
    [[(?:missen|gemis|ontbreek\w*|ontbrak)]],
    [[(?:kader|trekker|iemand) (?:\w+ ){0,2}nodig]],
    [[stilgevallen|valt (?:\w+ ){0,3}stil|aan (?:ons|hun|zijn) lot overgelaten]],
  },
  default = "neutral",
  calibration = { method = "direct", anchors = { exclusion = 0, crossover = 0.05, inclusion = 0.2 } },
}

condition "agenda" {
  label = "an agenda set beforehand, relevant to every participant and set by them",
  codes = { "randvoorwaarden/agenda" },
  support = {
    [[(?:goed\w*|relevant\w*|gerichte?) (?:\w+ )?(?:agenda\w*|onderwerp\w*|thema\w*)]],
    [[(?:zelf|wij|we|ons) (?:\w+ ){0,3}(?:bepalen|aanbrengen|aangebracht|kiezen)]],
    [[(?:per|rond een|één) thema|thematisch\w*|gerichte?r?]],
  },
  oppose = {
    [[(?:bepaald|opgesteld|opgelegd) (?:\w+ ){0,2}door (?:het|de) (?:agentschap|ag(?:ii|ll)|provincie|vvsg)]],
    [[eenzijdig\w*]],
    [[(?:minder|niet) relevant|veel te veel]],
  },
  default = "neutral",
  calibration = { method = "direct", anchors = { exclusion = 0, crossover = 0.05, inclusion = 0.2 } },
}

condition "maturiteit" {
  label = "how far the government or network has come in integration policy and in working together",
  codes = { "randvoorwaarden/maturiteit" },
  support = {
    [[pionier\w*|(?:goed|sterk|ver) (?:\w+ )?(?:uitgebouwd|ontwikkeld)]],
    [[(?:lange|lang) (?:\w+ )?(?:geschiedenis|traditie|historiek)|voorgeschiedenis]],
    [[(?:al|veel) (?:\w+ ){0,2}(?:het )?(?:langst|langer|lang) (?:\w+ ){0,3}(?:bezig|bestaan)]],
    [[(?:jaren|decennia) (?:zestig|zeventig|tachtig|negentig|\w+ )?(?:\w+ )?(?:integratiewerk|ervaring)|\w+ jaar integratiewerk|in de jaren (?:zestig|zeventig|tachtig)]],
    [[(?:opgebouwd\w*|veel) (?:\w+ )?(?:ervaring|expertise)]],
    [[(?:draait|loopt|werkt) (?:\w+ ){0,3}goed]],
  },
  oppose = {
    [[(?:nu )?pas (?:\w+ ){0,3}(?:van start|begonnen|beginnen|gestart)|voor het eerst]],
    [[(?:expertise|kennis) (?:\w+ ){0,5}(?:weg|verloren|kwijt)|personee?l\w*wissel\w*|verloop]],
    [[(?:herstructurering|reorganisatie|stilgevallen)]],
    [[(?:het )?slechtst|relatief recent|opgesplitst|in de kinderschoenen|starters]],
  },
  default = "neutral",
  calibration = { method = "direct", anchors = { exclusion = 0, crossover = 0.05, inclusion = 0.2 } },
}

outcome "leren" {
  label = "effective learning: exchange with peers that yields something for one's own policy",
  -- every code of a way of learning (§4.1-4.4); the cues say whether the
  -- turn reports that learning works (it is useful, inspiring, one learns
  -- from it) or that it yields nothing
  codes = { "belang/meerwaarde", "leren-in-de-praktijk/formeel-overleg",
            "leren-in-de-praktijk/informeel-contact", "leren-in-de-praktijk/impliciete-kennis",
            "leren-in-de-praktijk/netwerkleren", "benchlearning/goede-praktijken",
            "benchlearning/mimetisch-leren", "benchlearning/niet-mimetisch-leren",
            "benchlearning/normatief-leren", "coordinerende-rol/rol-agii" },
  support = {
    [[geleerd|bijleren|bijgeleerd|(?:leren|leert) van|uit leren|opgestoken|(?:kunnen|kunt) (?:\w+ ){0,3}(?:gebruiken|meenemen|toepassen)]],
    [[meerwaarde|nuttig\w*|waardevol\w*|interessant\w*|inspirer\w*|inspiratie|handig|bruikbaar|fantastisch|welkom]],
    [[voorbeeld\w*]],
  },
  oppose = {
    [[(?:niks|niets) (?:\w+ ){0,2}aan]],
    [[(?:geen|weinig|te weinig) (?:\w+ )?(?:steun|ondersteuning|begeleiding|inspiratie|houvast)]],
    [[(?:alleen|enkel) (?:maar )?(?:geven|brengen)|eenrichtingsverkeer]],
    [[(?:niet|ni) (?:\w+ )?werkt|werkt (?:\w+ ){0,2}(?:niet|ni)]],
  },
  default = "neutral",
  calibration = { method = "direct", anchors = { exclusion = 0, crossover = 0.05, inclusion = 0.2 } },
}
