-- small.lua — the same codebook as small.csv, as a Lua table (data only:
-- it is evaluated in an empty environment).
return {
  { code = "leren", description = "Theme: learning from one another. Apply one of its codes.",
    colour = "#336699" },
  { code = "overleg", parent = "leren",
    description = 'Formal consultation: meetings, "overleg", networks.',
    include = { [[overleg\w*]], [[vergader\w*]], [[netwerk\w* NEAR/3 (?:samen|bijeen)\w*]] },
    exclude = [[verkiezing\w*]],
    match = { "Het overleg was nuttig.", "We vergaderen elke maand.",
              "Het netwerk komt vaak samen." },
    nomatch = { "Na de verkiezingen viel het overleg stil.", "We overlopen de cijfers." },
    colour = "#6699cc" },
  { code = "informeel", parent = "leren", description = "Informal contact between colleagues.",
    -- a multi-line string is split into lines, as a CSV cell is
    include = [[
informeel\w*
(?:bellen|mailen|even binnenspringen) NEAR/4 collega\w*
]],
    options = "fold, partial",
    match = { "Dat gaat heel informeel.", "Ik ga dan eens bellen naar een collega in Genk." },
    nomatch = "Dat was een formele vergadering." },
  { code = "kleine-gemeente", parent = "schaal",
    description = "Statements on small municipalities (a third level: context/schaal/kleine-gemeente).",
    include = { [[kleine (?:gemeente\w*|besturen)]] }, options = "fold",
    match = { "Als kleine gemeente kunt ge dat niet.", "Wij zijn een kléine gemeente." },
    nomatch = { "Een kleinigheid." } },
  { code = "context", description = "Theme: the setting." },
  { code = "schaal", parent = "context", description = "Size of the municipality.",
    include = [[(?:grootte|omvang) van de (?:gemeente|stad)]], options = "case",
    match = "De grootte van de gemeente speelt mee.", nomatch = "DE GROOTTE VAN DE GEMEENTE" },
}
