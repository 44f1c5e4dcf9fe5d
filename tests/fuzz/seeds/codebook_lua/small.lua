return {
  {code = "beleid", include = {"beleid", "beleids\\w+"}, options = "stem"},
  {code = "netwerk", parent = "beleid", include = "netwerk", match = {"het netwerk"}},
}
