"""The page's panels as plain logic: which panels a layout has, in which order and where, what
each shows at a moment (``resolve``), what is wrong with them (``validate``), how two layouts
differ (``compare``), how a layout is kept as a version (``snapshot``), and the order keys that
let two desks reorder panels and converge (``ranks``). No database, no Qt: the service
(``pse_desk.services.layout``) reads and writes the rows."""
