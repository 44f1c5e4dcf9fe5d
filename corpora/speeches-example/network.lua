-- Cues that a speaker holds another municipality up as an example or a guide.
return {
  cues = {
    example = { [[\bvoorbeeld\w*]], [[\bleren\s+van\b]], [[\bkijk\w*\s+(?:\w+\s+){0,3}naar\b]], [[\bzoals\s+in\b]] },
    guide = { [[\bbegeleid\w*]], [[\bondersteun\w*]], [[\btrekker\w*]] },
  },
  window = 150,
  others = { "Utrecht" },
}
