"""The policy lab's computations, below the UI (no Streamlit): the district need index and its
sensitivity analysis (:mod:`~queries.lab.index`), the differential-financing allocation
(:mod:`~queries.lab.allocation`), the pilot evaluation by difference-in-differences
(:mod:`~queries.lab.did`) and the open-data release (:mod:`~queries.lab.package`).

The pages (``pages/need.py``, ``pages/finance.py``, ``pages/pilot.py``) and the command line
(``python -m qamrov evaluate``, ``python -m qamrov publish``) call the same functions.
"""
