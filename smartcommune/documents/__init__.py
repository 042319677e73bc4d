"""The official documents of a round, in the form of Nghị định 30/2020/NĐ-CP, as DOCX
(from templates a province may replace) and PDF: the commune's self-assessment report,
the district's Tờ trình, the council's appraisal minutes, the draft recognition decision
and the province's yearly report. See docs/documents.md."""
