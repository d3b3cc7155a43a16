# language: en
Feature: Pre-appointment publicity across holidays (English)
  Publicity lasts at least five working days, both ends counted; statutory holidays do not count,
  make-up working days (a Sunday or Saturday declared a working day) do.

  Background:
    Given a compliant promotion case

  Rule: APT-PUB-5WD Publicity lasts at least five working days

    @APT-PUB-5WD @violating
    Scenario Outline: National Day 2024 leaves four working days
      Given publicity runs from <start> to <end>
      Then the publicity should count 4 working days
      And only the violation APT-PUB-5WD should be found

      Examples:
        | start      | end        |
        | 2024-09-27 | 2024-10-08 |
        | 2024-10-08 | 2024-10-11 |

    @APT-PUB-5WD @compliant
    Scenario Outline: The make-up working days complete five working days
      Given publicity runs from <start> to <end>
      Then the publicity should count 5 working days
      And there should be no findings

      Examples:
        | start      | end        |
        | 2024-09-29 | 2024-10-10 |
        | 2024-10-08 | 2024-10-12 |

    @APT-PUB-5WD @pending
    Scenario: Publicity still running in an open case is pending, not violated
      Given publicity started on 2024-10-08 and has not ended
      And the case is still open, recorded up to 2024-10-10
      Then APT-PUB-5WD should be pending
      And no violation should be found

  Rule: APT-PUB-WINDOW Publicity comes after the decision and before the appointment notice

    @APT-PUB-WINDOW @violating
    Scenario: The notice is issued before the publicity ends
      Given the appointment notice was issued before the publicity ended
      Then only the violation APT-PUB-WINDOW should be found

    @APT-PUB-WINDOW @compliant
    Scenario: A lateral transfer needs no publicity
      Given the move is a lateral transfer
      And there was no publicity
      Then no violation should be found
