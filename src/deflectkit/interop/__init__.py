"""Interoperability: bring provider data in from other systems and hand it back.

* :mod:`deflectkit.interop.samhsa` reads SAMHSA's FindTreatment.gov facility export (CSV);
* :mod:`deflectkit.interop.hsds_import` reads Open Referral HSDS 3.0 JSON and HSDS 1.x
  tabular data packages (:mod:`~deflectkit.interop.hsds_tabular` joins the 1.x tables,
  :mod:`~deflectkit.interop.hsds_mapping` turns a service at a location into a provider,
  :mod:`~deflectkit.interop.hsds_words` reads taxonomy terms and language names,
  :mod:`~deflectkit.interop.hsds_hours` reads schedules and free-text hours);
* :mod:`deflectkit.interop.hsds_export` writes HSDS 3.0 JSON, with deflectkit's fields as
  attributes of the taxonomy documented in :mod:`~deflectkit.interop.hsds_taxonomy`;
* :mod:`deflectkit.interop.csv_export` writes one spreadsheet row per provider;
* :mod:`deflectkit.interop.icalendar` writes follow-up reminders as iCalendar files.

Importers produce plain provider mappings (what a contributor would type in YAML) plus a
list of :class:`~deflectkit.errors.Problem` values (:mod:`~deflectkit.interop.records`);
writing the files is the job of :mod:`deflectkit.files.provider_writer`.
"""
