"""Language-aware text primitives: sentence splitting, word tokens, stems, stop words, language id.

Everything the summarizers need from raw text goes through here, dispatched per language::

    >>> [s.text for s in split_sentences("Dr. Ruth Gray met U.S. officials. They agreed.", "en")]
    ['Dr. Ruth Gray met U.S. officials.', 'They agreed.']
    >>> terms("The ministers were meeting in Paris.", "en")
    ['minist', 'meet', 'pari']

``analysis.py`` holds an article's one split, shared by the steps after it;
``language.py`` names the language and its stop words, ``sentences.py`` splits (with the word
lists of ``abbreviations.py``), ``datelines.py`` finds the date and dash a story opens with,
``tokens.py`` makes tokens, stems and terms and counts words as a reader does, and
``punctuation.py`` is the one definition of a sentence end and of a heading.
"""

from inbrief.text.analysis import Analysis, analyse
from inbrief.text.datelines import dateline_date
from inbrief.text.language import detect_language, normalize_language, stopwords
from inbrief.text.sentences import split_sentences
from inbrief.text.tokens import count_words, stems, terms, tokenize

__all__ = [
    "Analysis",
    "analyse",
    "count_words",
    "dateline_date",
    "detect_language",
    "normalize_language",
    "split_sentences",
    "stems",
    "stopwords",
    "terms",
    "tokenize",
]
