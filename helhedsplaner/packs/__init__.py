"""Application packs: the PDFs made of a plan (or of a screening round) for the funders and the residents,
and the secretariat's export of many of them as one ZIP.

documents.py says what each pack shows and orders and renders one; pdf.py turns its HTML into a PDF;
exports.py builds the ZIP; rules.py says who may order and export; views/ and urls.py are their pages.
"""
