-- inductive_words — words of spoken Dutch and Flemish that the Snowball list lacks and that
-- carry no theme of their own: pronouns, auxiliaries and verbs of saying
-- and thinking, discourse adverbs, vague nouns. Written for thema's
-- inductive pass (docs/plugins.md, "The inductive pass"); a study adds its
-- own file through the plugin's word_files parameter.
-- Returned per language (Snowball names); require("inductive_words").dutch.

local M = {}

M.dutch = {
  "euhm", "euh", "waar", "toe", "vanuit", "we", "wij", "jullie", "zij", "hen", "onze", "jij", "jou", "jouw", "gij", "uwe", "ons",
  "heel", "echt", "wel", "gewoon", "eigenlijk", "natuurlijk", "misschien", "zeker",
  "inderdaad", "bijvoorbeeld", "beetje", "soms", "vaak", "even", "eerst", "terug", "mee",
  "daarom", "daarvan", "daarmee", "daarin", "daarop", "ergens", "iedereen", "allemaal",
  "alle", "elke", "ieder", "zoiets", "dingen", "ding", "manier", "gaan", "gaat", "ging",
  "gingen", "gegaan", "moeten", "moest", "moesten", "willen", "wilt", "wilde", "zullen",
  "zult", "zouden", "laten", "komen", "komt", "kwam", "gekomen", "doet", "deed", "gedaan",
  "maken", "maakt", "gemaakt", "zitten", "zit", "zat", "staan", "staat", "stond", "hebt",
  "had", "weet", "weten", "wist", "denk", "denken", "dacht", "vind", "vinden", "vindt",
  "zeg", "zeggen", "zegt", "zei", "gezegd", "kijken", "kijk", "bedoel", "bedoeld", "wordt",
  "worden", "geworden", "goed", "groot", "grote", "klein", "kleine", "veel", "meer",
  "minder", "weinig", "nog", "nu", "toen", "dan", "al", "één", "twee", "drie",
}

return M
