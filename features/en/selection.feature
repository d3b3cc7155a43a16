# language: en
Feature: Qualifications, exceptional promotion, votes and records (English)
  The same steps as the Chinese specs, in English: the post's level with a qualified candidate,
  thresholds counted in full years back from the meeting, a 破格 done by the book, escalated
  severities, and a rule parameter switched on for one scenario.

  Background:
    Given a compliant promotion case

  Rule: QUAL-WORKYEARS Five years of work before a county/division-level post

    @QUAL-WORKYEARS @violating
    Scenario: Four years of work
      Given the post to fill is a division deputy post
      And the candidate has 4 years of work
      Then only the violation QUAL-WORKYEARS should be found

    @QUAL-WORKYEARS @compliant
    Scenario: Five years of work
      Given the post to fill is a division deputy post
      And the candidate has 5 years of work
      Then there should be no findings

  Rule: QUAL-DEP2CHIEF-2Y Two years as deputy before becoming chief

    @QUAL-DEP2CHIEF-2Y @violating
    Scenario: One day short of two years as deputy
      Given the post to fill is a division chief post
      And the candidate has held a division deputy post since 2019-04-17
      Then only the violation QUAL-DEP2CHIEF-2Y should be found

  Rule: BRK-PRIOR-APPROVAL Prior approval for exceptional promotion

    @BRK-PRIOR-APPROVAL @violating
    Scenario: The exceptional promotion was not approved in advance
      Given the candidate is promoted exceptionally with approval (special need)
      And the exceptional promotion was not approved in advance
      Then only the violation BRK-PRIOR-APPROVAL should be found

    @BRK-PRIOR-APPROVAL @compliant
    Scenario: Level-skipping approved before the inspection
      Given the post to fill is a division deputy post
      And the candidate has held a section deputy post since 2016-03-01
      And the reportable matters were explained at the meeting
      And the superior department approved level-skipping promotion on 2021-03-18
      Then there should be no findings

  Rule: DEC-VOTE-METHOD A proper voting method, one candidate at a time

    @DEC-VOTE-METHOD @violating
    Scenario: A bundled vote is a violation
      Given several candidates are voted on together
      Then the rule DEC-VOTE-METHOD should be violated
      And the severity should be violation

    @DEC-VOTE-METHOD @violating
    Scenario: Applause is a warning
      Given the vote is taken by applause
      Then warning DEC-VOTE-METHOD should be found
      And DEC-VOTE-METHOD should have severity warning

  Rule: DEC-DEFER Defer the vote when views are sharply divided

    @DEC-DEFER @violating
    Scenario: Divided views, yet a secret ballot adopts the appointment
      Given 4 members present disagree
      And the secret ballot is 8 in favour, 1 against
      Then only the violation DEC-DEFER should be found

  Rule: DEC-RECORDS Minutes and a discussion record are kept

    @DEC-RECORDS @violating
    Scenario: No discussion record
      Given the meeting kept no discussion record
      Then the rule DEC-RECORDS should be violated
      And the severity should be violation

    @DEC-RECORDS @violating
    Scenario: The record is not signed by the recorder
      Given the discussion record is not signed by the recorder
      Then warning DEC-RECORDS should be found

  Rule: INS-STEPS The mandatory inspection steps

    @INS-STEPS @compliant
    Scenario: No feedback step under the 2002 text
      Given the whole case is moved so that the inspection falls on 2014-01-13
      And the inspection team gave no feedback to the unit
      Then no violation should be found

    @INS-STEPS @violating
    Scenario: Feedback is required from 2014
      Given the whole case is moved so that the inspection falls on 2014-01-14
      And the inspection team gave no feedback to the unit
      Then only the violation INS-STEPS should be found

  Rule: REC-ATTENDANCE Attendance at the recommendation meeting (local rules)

    @REC-ATTENDANCE @violating
    Scenario: Fewer than two thirds where a local rule applies
      Given the parameter REC-ATTENDANCE.applies is true
      And the recommendation had 29 of 45 participants
      Then warning REC-ATTENDANCE should be found

    @REC-ATTENDANCE @compliant
    Scenario: No national attendance threshold
      Given the recommendation had 29 of 45 participants
      Then there should be no findings

  Rule: APT-TALK The appointment talk

    @APT-TALK @violating
    Scenario: No appointment talk
      Given no appointment talk was held
      Then warning APT-TALK should be found

  Rule: QUAL-TRAINING Training completed, or within a year after taking office

    @QUAL-TRAINING @compliant
    Scenario: Training caught up within a year
      Given the post to fill is a division deputy post
      And the candidate had 300 training hours in the last five years
      And the candidate trained 250 hours in 2022
      And the record is complete up to 2022-06-01
      Then there should be no findings
