# language: en
Feature: Decision meeting — quorum, adoption and the principal leader's last word (English)
  The same steps as the Chinese specs, in English. Members due (N) are all sitting members;
  "two thirds or more" includes the boundary, and a decision needs more than half of N in favour.

  Background:
    Given a complete promotion case

  Rule: DEC-QUORUM At least two thirds of the members are present

    @DEC-QUORUM @violating
    Scenario Outline: Fewer than two thirds present
      Given the party group has <due> members
      When the decision meeting is held with <present> members present
      Then only the violation DEC-QUORUM should be found
      And the cited edition should be 2019

      Examples:
        | due | present |
        | 7   | 4       |
        | 12  | 7       |

    @DEC-QUORUM @compliant
    Scenario Outline: Exactly two thirds present
      Given the standing committee has <due> members
      When the decision meeting is held with <present> members present
      Then no violation should be found

      Examples:
        | due | present |
        | 9   | 6       |
        | 12  | 8       |

  Rule: DEC-PASS A decision needs more than half of all members due

    @DEC-PASS @violating
    Scenario: Four in favour of nine due is not enough, though six are present
      When the decision meeting is held with 6 of 9 members present
      And the vote is 4 in favour, 2 against
      And the meeting adopts the appointment
      Then the rule DEC-PASS should be violated
      And the rule DEC-QUORUM should not be violated

    @DEC-PASS @compliant
    Scenario: Five in favour of nine due
      When the decision meeting is held with 6 of 9 members present
      And the vote is 5 in favour, 1 against
      Then there should be no findings

  Rule: DEC-LAST-SPEAKER The principal leader states a view last (from the 2019 edition)

    @DEC-LAST-SPEAKER @violating
    Scenario: On 3 March 2019 the 2019 edition applies
      Given the meeting is held on 2019-03-03
      And the principal leader does not speak last
      Then violation DEC-LAST-SPEAKER should be found
      And DEC-LAST-SPEAKER should cite the 2019 edition

    @DEC-LAST-SPEAKER @compliant
    Scenario: On 2 March 2019 the 2014 edition still applies
      Given the meeting is held on 2019-03-02
      And the principal leader does not speak last
      Then there should be no findings
