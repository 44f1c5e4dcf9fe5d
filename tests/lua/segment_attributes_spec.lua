-- segment_attributes_spec.lua — attributes on segments (the language of an
-- utterance, an agenda topic): written by thema.add_source, read back with
-- get_attributes("segment", id) and matched by the attribute filter of the
-- segment iterators, alongside the source's and the person's attributes.

local spec = require("spec")
local describe, it, eq, raises = spec.describe, spec.it, spec.eq, spec.raises
local S = thema.store

local r = thema.add_source{
  name = "meertalige-zitting", kind = "transcript", meta = { date = "2021-03-04", chamber = "Kamer" },
  segments = {
    { text = "Dank u, voorzitter.", speaker = "De voorzitter", attributes = { lang = "nl", topic = "opening" } },
    { text = "Merci, monsieur le président.", speaker = "Marie Dubois", attributes = { lang = "fr", topic = "begroting" } },
    { text = "Ik sluit me aan.", speaker = "Jan Peeters", attributes = { lang = "nl", topic = "begroting" } },
    { text = "Applaus.", speaker = "De voorzitter" },
  },
}

-- The segments of that source with attribute key = value, by hand.
local function by_hand(key, value)
  local n = 0
  for g in S.segments{ source = "meertalige-zitting" } do
    if S.get_attributes("segment", g.id)[key] == value then n = n + 1 end
  end
  return n
end

describe("segment attributes", function()
  it("are stored with each segment and read back by its id", function()
    eq(r.segments, 4)
    local seen = {}
    for g in S.segments{ source = "meertalige-zitting" } do
      local a = S.get_attributes("segment", g.id)
      seen[#seen + 1] = (a.lang or "-") .. "/" .. (a.topic or "-")
    end
    eq(table.concat(seen, " "), "nl/opening fr/begroting nl/begroting -/-")
  end)
  it("the attribute filter matches them, as a loop counts them", function()
    eq(S.count_segments{ attribute = { lang = "fr" } }, by_hand("lang", "fr"))
    eq(S.count_segments{ attribute = { lang = "fr" } }, 1)
    eq(S.count_segments{ attribute = { topic = "begroting" } }, 2)
    local texts = {}
    for g in S.segments{ attribute = { lang = "nl", topic = "begroting" } } do texts[#texts + 1] = g.text end
    eq(table.concat(texts, "|"), "Ik sluit me aan.")
  end)
  it("combine with the source's attributes and with except", function()
    eq(S.count_segments{ attribute = { chamber = "Kamer", lang = "nl" } }, 2)
    eq(S.count_segments{ source = "meertalige-zitting", except = { attribute = { lang = "nl" } } }, 2)
  end)
  it("do not leak to other segments of the study", function()
    local all = S.count_segments{}
    eq(S.count_segments{ except = { attribute = { lang = { "nl", "fr" } } } }, all - 3)
  end)
  it("a bad attributes table is refused and stores nothing", function()
    local before = S.count_sources{}
    raises("'attributes' must be a table of names and values", function()
      thema.add_source{ name = "x", segments = { { text = "a", attributes = "fr" } } }
    end)
    raises("'attributes' holds names and strings or numbers", function()
      thema.add_source{ name = "x", segments = { { text = "a", attributes = { lang = {} } } } }
    end)
    raises("'attributes' holds names and strings or numbers", function()
      thema.add_source{ name = "x", segments = { { text = "a", attributes = { "fr" } } } }
    end)
    raises("not valid UTF-8", function()
      thema.add_source{ name = "x", segments = { { text = "a", attributes = { lang = "f\255" } } } }
    end)
    eq(S.count_sources{}, before)
  end)
  it("a number is stored as its text", function()
    thema.add_source{ name = "agenda", segments = { { text = "Punt drie.", attributes = { item = 3 } } } }
    eq(S.count_segments{ attribute = { item = "3" } }, 1)
  end)
end)

spec.finish("segment attributes")
