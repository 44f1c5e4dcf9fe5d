-- network.lua — how the learning network of the study is read from the
-- transcripts (plugins/network.lua). A speaker of one organisation who names
-- another organisation near a cue of learning draws an edge from their own
-- organisation to the one named. The cues are general wordings of the four
-- ways the thesis describes organisations learning from each other (ch. 4.1-4.4):
-- taking another as an example, being guided by a leading partner, asking
-- for advice, and learning from mistakes. They are applied as a second coder
-- would: any wording of the idea, never a phrase taken from one quote.
return {
  -- Patterns are PCRE2, matched case-insensitively on the turn's text.
  cues = {
    example = {
      [[\bvoorbeeld\w*]], [[\bkijk\w*\s+(?:\w+\s+){0,3}naar\b]], [[\binspir\w*]],
      [[\b(?:goede|beste?)\s+praktijk\w*]], [[\bovernem\w*]], [[\bnagedaan\b|\bnadoen\b]],
      [[\bgeleerd\b|\bleren\s+van\b]], [[\bzoals\s+(?:ze\s+)?in\b]],
    },
    guide = {
      [[\b(?:voor)?trekker\w*]], [[\bbegeleid\w*]], [[\bcoach\w*]], [[\bondersteun\w*]],
      [[\bneemt?\s+(?:\w+\s+)?(?:het\s+)?voortouw\b]],
    },
    advice = {
      [[\badvies\w*]], [[\braad\s+(?:vragen|gevraagd)\b]], [[\bvra(?:gen|ag|agt)\s+(?:\w+\s+){0,3}(?:aan|bij)\b]],
      [[\bbel(?:len|t)?\b]], [[\bcontact\w*\b]], [[\bte\s+rade\b]],
    },
    mistakes = {
      [[\bfout\w*]], [[\bvalkuil\w*]], [[\bmislukt\w*]], [[\bniet\s+(?:goed\s+)?(?:gewerkt|werkte|werkt)\b]],
    },
  },
  -- How far (in characters) a cue may stand from the organisation named.
  window = 200,
  -- Places named as examples that are no organisation of the study.
  others = { "Utrecht", "Amsterdam", "Rotterdam", "Den Haag", "Nederland", "Mechelen" },
  -- The indicator compared for "large learns from small" (a case's value;
  -- in the LIIM tables the number of residents of foreign nationality, the
  -- population an integration service works for).
  size_indicator = "Aantal personen met vreemde nationaliteit",
}
