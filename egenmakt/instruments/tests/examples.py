"""Definitions written for the engine's tests: one item of every type, and scores of every kind."""

from __future__ import annotations

ALL_TYPES_YAML = """\
key: engine_test
version: 1
title: {sv: "Motorns testformulär", en: "Engine test form"}
help: {sv: "Hjälptext", en: "Help text"}
respondents: [client, staff]
sections:
  - key: ratings
    title: {sv: Skattningar, en: Ratings}
    help: {sv: "Svara på allt", en: "Answer everything"}
    items:
      - key: mood
        type: scale
        label: {sv: Humör, en: Mood}
        help: {sv: "0 är sämst", en: "0 is worst"}
        required: true
        min: 0
        max: 4
        anchors: {0: {sv: Aldrig, en: Never}, 4: {sv: Alltid, en: Always}}
      - key: weighted
        type: scale
        label: {sv: Viktad, en: Weighted}
        min: 1
        max: 3
        scores: {1: 0, 2: 2, 3: 4}
      - key: wellbeing
        type: vas
        label: {sv: Välbefinnande, en: Well-being}
        required: true
        anchors: {0: {sv: Dåligt, en: Poorly}, 10: {sv: Bra, en: Well}}
      - key: often
        type: single_choice
        label: {sv: Hur ofta, en: How often}
        options:
          - {value: never, label: {sv: Aldrig, en: Never}, score: 0}
          - {value: sometimes, label: {sv: Ibland, en: Sometimes}, score: 2}
          - {value: 4, label: {sv: Ofta, en: Often}, score: 4}
      - key: areas
        type: multiple_choice
        label: {sv: Områden, en: Areas}
        max_choices: 2
        options:
          - {value: home, label: {sv: Hem, en: Home}, score: 1}
          - {value: work, label: {sv: Arbete, en: Work}, score: 1}
          - {value: leisure, label: {sv: Fritid, en: Leisure}, score: 1}
      - key: ready
        type: yes_partly_no
        label: {sv: Redo, en: Ready}
      - key: hours
        type: number
        label: {sv: Timmar, en: Hours}
        min: 0
        max: 24
        decimals: 1
        unit: {sv: timmar, en: hours}
  - key: facts
    title: {sv: Fakta, en: Facts}
    items:
      - key: met_on
        type: date
        label: {sv: Mötesdatum, en: Meeting date}
      - key: summary
        type: short_text
        label: {sv: Sammanfattning, en: Summary}
        max_length: 50
      - key: story
        type: long_text
        label: {sv: Berättelse, en: Story}
      - key: day
        type: day_grid
        label: {sv: En vanlig dag, en: A normal day}
        start_hour: 7
        end_hour: 10
      - key: signs
        type: repeating_rows
        label: {sv: Varningstecken, en: Warning signs}
        max_rows: 5
        columns:
          - {key: sign, label: {sv: Tecken, en: Sign}, type: short_text}
          - {key: own_action, label: {sv: Egen åtgärd, en: My action}, type: long_text}
          - {key: times, label: {sv: Antal, en: Times}, type: number}
          - {key: noticed_on, label: {sv: Datum, en: Date}, type: date}
scoring:
  scores:
    - key: total
      label: {sv: Summa, en: Total}
      method: sum
      items: [mood, weighted, wellbeing, often, areas, ready, hours]
      min: 0
      max: 52
      primary: true
      bands:
        - {min: 0, max: 20, key: low, label: {sv: Låg, en: Low}}
        - {min: 20.1, max: 52, key: high, label: {sv: Hög, en: High}}
      cutoff: {value: 20, clinical_when: at_or_below, label: {sv: Gräns, en: Cut-off}}
      reliable_change: 5
    - key: mean_mood
      label: {sv: Medel, en: Mean}
      method: mean
      items: [mood, weighted]
      min: 0
      max: 4
      higher_is_better: false
      reliable_change: 1
    - key: yeses
      label: {sv: Antal ja, en: Number of yes}
      method: count
      items: all
      count_values: [yes, home]
      min: 0
      max: 2
"""
