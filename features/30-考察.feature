# language: zh-CN
功能: 考察 —— 考察对象、考察程序、"凡提四必"与考察材料
  考察对象由集体研究确定，不简单以票取人；个别提拔推荐意见集中的可以等额考察，换届须差额考察；
  有不得列为考察对象情形的不得列为考察对象。考察组由两名以上成员组成，按必经程序进行
  （方案、沟通、预告、个别谈话、查阅档案、反馈、组织部门集体研究；2002 年版没有沟通和反馈两步）。
  提拔干部，档案凡提必审、个人有关事项报告凡提必核、纪检监察机关意见凡提必听、
  线索具体的信访举报凡提必查（2016 年起），廉洁自律结论性意见由书记和纪检负责人双签字，
  须先审计的先审计后任用（2019 年版起），均须在讨论决定之前完成，发现的问题须查清；
  考察材料写实具体，写明主要优点和主要不足。

  背景:
    假如 一个程序完整的提拔案例

  规则: INS-TEAM-2 考察组不少于两人

    @INS-TEAM-2 @违规
    场景大纲: 考察组人数不足两人
      假如 考察组只有 <人数> 人
      那么 只应发现违规 INS-TEAM-2
      而且 说明应当包含 "只有 <人数> 人"

      例子:
        | 人数 |
        | 1    |
        | 0    |

    @INS-TEAM-2 @合规
    场景大纲: 考察组有两人以上
      假如 考察组有 <人数> 人
      那么 不应有任何发现

      例子:
        | 人数 |
        | 2    |
        | 3    |

    @INS-TEAM-2 @合规
    场景: 2014 年条例施行前的考察不按本条判断
      假如 会议日期为 2013-06-18
      而且 考察组只有 1 人
      那么 不应发现任何违规

  规则: INS-FILE-REVIEW 干部人事档案凡提必审

    @INS-FILE-REVIEW @违规
    场景: 未审核干部人事档案
      假如 未进行干部人事档案审核
      那么 只应发现违规 INS-FILE-REVIEW
      而且 依据的版本为 2019
      而且 说明应当包含 "会议前没有审核记录"

    @INS-FILE-REVIEW @违规
    场景: 档案审核发现的问题尚未查清就上会
      假如 干部人事档案审核结论为问题尚未查清
      那么 只应发现违规 INS-FILE-REVIEW
      而且 说明应当包含 "发现的问题在 2021-04-16 会议前未查清"

    @INS-FILE-REVIEW @违规
    场景: 会议当天才审核档案
      假如 干部人事档案审核在会议当天才进行
      那么 只应发现违规 INS-FILE-REVIEW
      而且 说明应当包含 "不早于 2021-04-16 会议"

    @INS-FILE-REVIEW @合规
    场景: 档案审核发现的问题已经查清
      假如 干部人事档案审核结论为问题已查清
      那么 不应有任何发现

    @INS-FILE-REVIEW @合规
    场景: 2016 年"凡提四必"施行前未审档案不按本条判断
      假如 会议日期为 2015-09-10
      而且 未进行干部人事档案审核
      那么 不应发现任何违规

    @INS-FILE-REVIEW @合规
    场景: 平级交流不适用"凡提四必"
      假如 本次任用属于平级交流
      而且 未进行干部人事档案审核
      那么 不应发现任何违规

  规则: INS-PERSONAL-MATTERS 个人有关事项报告凡提必核

    @INS-PERSONAL-MATTERS @违规
    场景: 未查核个人有关事项报告
      假如 未进行个人有关事项报告查核
      那么 只应发现违规 INS-PERSONAL-MATTERS
      而且 说明应当包含 "没有查核记录"

    @INS-PERSONAL-MATTERS @违规
    场景大纲: 查核发现问题
      假如 个人有关事项报告查核结论为<结论>
      那么 只应发现违规 INS-PERSONAL-MATTERS
      而且 说明应当包含 "<说明>"

      例子:
        | 结论         | 说明     |
        | 发现瞒报     | 发现瞒报 |
        | 问题尚未查清 | 未查清   |

    @INS-PERSONAL-MATTERS @合规
    场景大纲: 查核未发现问题或问题已查清
      假如 个人有关事项报告查核结论为<结论>
      那么 不应有任何发现

      例子:
        | 结论       |
        | 未发现问题 |
        | 问题已查清 |

  规则: INS-DISCIPLINE-OPINION 纪检监察机关意见凡提必听

    @INS-DISCIPLINE-OPINION @违规
    场景: 未听取纪检监察机关意见
      假如 未听取纪检监察机关意见
      那么 只应发现违规 INS-DISCIPLINE-OPINION
      而且 依据的版本为 2019

    @INS-DISCIPLINE-OPINION @违规
    场景: 会议当天才听取纪检监察机关意见
      假如 听取纪检监察机关意见在会议当天才进行
      那么 只应发现违规 INS-DISCIPLINE-OPINION

    @INS-DISCIPLINE-OPINION @违规
    场景: 2015 年未听取纪检监察机关意见按 2014 年版判断
      假如 会议日期为 2015-09-10
      而且 未听取纪检监察机关意见
      那么 只应发现违规 INS-DISCIPLINE-OPINION
      而且 依据的版本为 2014

    @INS-DISCIPLINE-OPINION @合规
    场景: 纪检监察机关反映的问题已经查清
      假如 纪检监察机关意见结论为问题已查清
      那么 不应有任何发现

  规则: INS-PETITION-CHECK 线索具体的信访举报凡提必查

    @INS-PETITION-CHECK @违规
    场景大纲: 线索具体的举报会前未查结
      假如 会前收到一件线索具体的信访举报，<查结情况>
      那么 只应发现违规 INS-PETITION-CHECK

      例子:
        | 查结情况   |
        | 尚未查结   |
        | 会后才查结 |

    @INS-PETITION-CHECK @合规
    场景: 线索具体的举报已于会前查结
      假如 会前收到一件线索具体的信访举报，已于会前查结
      那么 不应有任何发现

    @INS-PETITION-CHECK @合规
    场景: 线索不具体的举报不要求会前查结
      假如 会前收到一件线索不具体的信访举报，尚未查结
      那么 不应有任何发现

  规则: INS-TARGET-COLLECTIVE 考察对象集体研究确定，换届差额考察

    @INS-TARGET-COLLECTIVE @违规
    场景: 考察对象未经集体研究确定（违规）
      假如 考察对象未经集体研究确定
      那么 应当发现违规 INS-TARGET-COLLECTIVE
      而且 该违规的严重性为 violation
      而且 只应发现违规 INS-TARGET-COLLECTIVE

    @INS-TARGET-COLLECTIVE @违规
    场景: 个别提拔推荐意见不集中仍等额考察（提醒）
      假如 推荐意见不集中，仍等额考察
      那么 应当发现警告 INS-TARGET-COLLECTIVE
      而且 该违规的严重性为 warning
      而且 只应发现违规 INS-TARGET-COLLECTIVE

    @INS-TARGET-COLLECTIVE @违规
    场景: 换届时等额考察（违规）
      假如 本次调整属于换届
      而且 民主推荐先进行谈话调研推荐，再进行会议推荐
      而且 会议推荐参考人选 2 名
      那么 应当发现违规 INS-TARGET-COLLECTIVE
      而且 该违规的严重性为 violation
      而且 只应发现违规 INS-TARGET-COLLECTIVE

    @INS-TARGET-COLLECTIVE @合规
    场景: 个别提拔推荐意见集中的可以等额考察
      那么 不应发现违规 INS-TARGET-COLLECTIVE

    @INS-TARGET-COLLECTIVE @合规
    场景: 换届时差额考察
      假如 本次调整属于换届
      而且 民主推荐先进行谈话调研推荐，再进行会议推荐
      而且 会议推荐参考人选 2 名
      而且 另有 1 名考察对象
      那么 不应有任何发现

  规则: REC-NOT-BY-VOTES 不得简单以票取人（提醒）

    @REC-NOT-BY-VOTES @违规
    场景: 推荐得票最少的人选被确定为考察对象而未说明理由
      假如 另一名人选得推荐票 40 票
      而且 确定考察对象时未说明理由
      那么 应当发现警告 REC-NOT-BY-VOTES
      而且 只应发现违规 REC-NOT-BY-VOTES

    @REC-NOT-BY-VOTES @合规
    场景大纲: 该人选得票不是最少
      假如 另一名人选得推荐票 <票数> 票
      而且 确定考察对象时未说明理由
      那么 不应有任何发现

      例子: 该人选得推荐票 36 票
        | 票数 |
        | 36   |
        | 30   |

    @REC-NOT-BY-VOTES @合规
    场景: 得票最少但说明了确定为考察对象的理由
      假如 另一名人选得推荐票 40 票
      而且 确定考察对象的理由为「长期在基层一线工作，实绩突出，群众口碑好」
      那么 不应有任何发现

  规则: DISQ-LIST 不得列为考察对象的情形

    @DISQ-LIST @违规
    场景大纲: 近三年年度考核为基本称职以下
      假如 该人选 <年度> 年度考核为<等次>
      那么 只应发现违规 DISQ-LIST

      例子: 2021 年确定考察对象，近三年为 2018—2020 年度
        | 年度 | 等次     |
        | 2018 | 基本称职 |
        | 2020 | 不称职   |

    @DISQ-LIST @合规
    场景大纲: 近三年没有基本称职以下的考核等次
      假如 该人选 <年度> 年度考核为<等次>
      那么 不应有任何发现

      例子:
        | 年度 | 等次     |
        | 2017 | 基本称职 |
        | 2020 | 称职     |
        | 2019 | 优秀     |

    @DISQ-LIST @违规
    场景大纲: 有其他不得列为考察对象的情形
      假如 该人选<情形>
      那么 只应发现违规 DISQ-LIST

      例子:
        | 情形                         |
        | 有跑官要官、拉票等非组织活动 |
        | 群众公认度不高               |
        | 配偶已移居国（境）外         |
        | 子女均已移居国（境）外       |

    @DISQ-LIST @合规
    场景: 特殊岗位不适用裸官限制
      假如 该职位为特殊岗位
      而且 该人选配偶已移居国（境）外
      那么 不应发现任何违规

  规则: INS-STEPS 考察必经程序

    @INS-STEPS @违规
    场景大纲: 考察缺少必经程序
      假如 <缺少的程序>
      那么 只应发现违规 INS-STEPS

      例子:
        | 缺少的程序                         |
        | 未制定考察工作方案                 |
        | 考察方案未与所在单位主要负责人沟通 |
        | 未发布考察预告                     |
        | 考察组未向所在单位反馈             |
        | 考察结果未经组织部门集体研究       |
        | 考察未进行个别谈话                 |
        | 考察未查阅干部档案                 |

    @INS-STEPS @违规
    场景: 考察预告早于考察方案
      假如 考察预告在考察方案确定之前发布
      那么 只应发现违规 INS-STEPS

    @INS-STEPS @违规
    场景: 讨论决定会议当天才研究考察结果
      假如 考察结果在讨论决定会议当天才经组织部门研究
      那么 只应发现违规 INS-STEPS

    @INS-STEPS @合规
    场景: 考察程序完整
      那么 不应发现违规 INS-STEPS

    @INS-STEPS @合规
    场景大纲: 2002 年版的考察程序没有沟通和反馈两步
      假如 整体平移案例，使考察于 2014-01-13 开始
      而且 <缺少的程序>
      那么 不应发现任何违规

      例子:
        | 缺少的程序                         |
        | 考察组未向所在单位反馈             |
        | 考察方案未与所在单位主要负责人沟通 |

    @INS-STEPS @违规
    场景: 2014 年版起考察组须向所在单位反馈
      假如 整体平移案例，使考察于 2014-01-14 开始
      而且 考察组未向所在单位反馈
      那么 只应发现违规 INS-STEPS
      而且 依据的版本为 2014

    @INS-STEPS @违规
    场景: 2002 年版也要求考察预告
      假如 整体平移案例，使考察于 2013-06-03 开始
      而且 未发布考察预告
      那么 只应发现违规 INS-STEPS
      而且 依据的版本为 2002

  规则: INS-INTEGRITY-SIGNOFF 廉洁自律结论性意见由书记和纪检负责人双签字

    @INS-INTEGRITY-SIGNOFF @违规
    场景大纲: 没有双签字的廉洁自律结论性意见
      假如 <情形>
      那么 只应发现违规 INS-INTEGRITY-SIGNOFF

      例子:
        | 情形                               |
        | 没有廉洁自律结论性意见             |
        | 廉洁自律结论性意见未经纪委书记签字 |
        | 廉洁自律结论性意见未经党委书记签字 |

    @INS-INTEGRITY-SIGNOFF @合规
    场景: 廉洁自律结论性意见由书记和纪检负责人双签字
      那么 不应发现违规 INS-INTEGRITY-SIGNOFF

    @INS-INTEGRITY-SIGNOFF @违规
    场景: 2018 年没有廉洁自律结论性意见按 2016 年意见判断
      假如 会议日期为 2018-06-12
      而且 没有廉洁自律结论性意见
      那么 只应发现违规 INS-INTEGRITY-SIGNOFF
      而且 依据的版本为 2016-opinion

    @INS-INTEGRITY-SIGNOFF @合规
    场景: 2016 年"凡提四必"意见施行前不按本条判断
      假如 会议日期为 2016-06-14
      而且 没有廉洁自律结论性意见
      那么 不应发现任何违规

    @INS-INTEGRITY-SIGNOFF @合规
    场景大纲: 差额考察中未上会的另一名考察对象缺少双签字，不影响上会人选
      # 本条按人选对应：讨论决定的是该人选，另一名考察对象的意见不在本次决定之内
      假如 另有 1 名考察对象
      而且 以下情形针对另一名考察对象
      而且 <情形>
      那么 不应发现违规 INS-INTEGRITY-SIGNOFF

      例子:
        | 情形                               |
        | 没有廉洁自律结论性意见             |
        | 廉洁自律结论性意见未经纪委书记签字 |

  规则: INS-AUDIT-FIRST 需经济责任审计的先审计后任用（2019 年版起）

    @INS-AUDIT-FIRST @违规
    场景大纲: 须先审计的职位会前没有审计结果
      假如 该职位须先进行经济责任审计
      而且 <审计情况>
      那么 只应发现违规 INS-AUDIT-FIRST

      例子:
        | 审计情况                         |
        | 未进行经济责任审计               |
        | 经济责任审计在会议当天才进行     |
        | 经济责任审计结论为问题尚未查清   |

    @INS-AUDIT-FIRST @合规
    场景: 须先审计的职位会前已完成审计
      假如 该职位须先进行经济责任审计
      而且 经济责任审计于 2021-04-06 进行
      那么 不应有任何发现

    @INS-AUDIT-FIRST @违规
    场景: 2019 年 3 月 3 日起须先审计后任用
      假如 会议日期为 2019-03-03
      而且 该职位须先进行经济责任审计
      那么 应当发现违规 INS-AUDIT-FIRST
      而且 依据的版本为 2019
      而且 只应发现违规 INS-AUDIT-FIRST、GEN-VERSION

    @INS-AUDIT-FIRST @合规
    场景: 2019 年版施行前不按本条判断
      假如 会议日期为 2019-03-02
      而且 该职位须先进行经济责任审计
      那么 不应发现任何违规

  规则: INS-MATERIALS 形成写实具体的考察材料

    @INS-MATERIALS @违规
    场景大纲: 考察材料缺少规定内容（提醒）
      假如 考察材料未写明<内容>
      那么 应当发现警告 INS-MATERIALS
      而且 该违规的严重性为 warning
      而且 只应发现违规 INS-MATERIALS
      而且 说明应当包含 "考察材料以下内容空缺：<内容>"

      例子:
        | 内容         |
        | 主要优点     |
        | 主要不足     |
        | 民主推荐情况 |
        | 民主测评情况 |

    @INS-MATERIALS @违规
    场景: 没有形成考察材料（违规）
      假如 没有形成考察材料
      那么 应当发现违规 INS-MATERIALS
      而且 该违规的严重性为 violation
      而且 只应发现违规 INS-MATERIALS

    @INS-MATERIALS @合规
    场景: 考察材料内容齐全
      那么 不应发现违规 INS-MATERIALS

  规则: QUAL-BASIC-CONDITIONS 基本条件须经考察作出评价（提醒）

    @QUAL-BASIC-CONDITIONS @违规
    场景: 没有对基本条件作出评价的记录
      假如 没有该人选基本条件评价的书面记录
      那么 应当发现警告 QUAL-BASIC-CONDITIONS
      而且 只应发现违规 QUAL-BASIC-CONDITIONS

    @QUAL-BASIC-CONDITIONS @违规
    场景: 基本条件评价在讨论决定之后才作出
      假如 该人选基本条件评价的书面记录于 2021-04-20 出具
      那么 应当发现警告 QUAL-BASIC-CONDITIONS

    @QUAL-BASIC-CONDITIONS @合规
    场景: 考察材料对基本条件作出了评价
      那么 不应发现违规 QUAL-BASIC-CONDITIONS

    @QUAL-BASIC-CONDITIONS @合规
    场景: 平级交流不要求
      假如 本次任用属于平级交流
      而且 没有该人选基本条件评价的书面记录
      那么 不应发现任何违规

  规则: 施行之初即适用 —— 每条规则自施行之日起的第一年内即能发现违规
    （施行日记错一年的规则会漏判这一年的违规；见 docs/mutation.md）

    @DISQ-LIST @违规
    场景: DISQ-LIST 自施行之日（2014-01-14）起即适用：2014年9月的会议
      假如 整体平移案例，使讨论决定会议于 2014-09-15 召开
      而且 该人选 2012 年度考核为基本称职
      那么 应当发现违规 DISQ-LIST

    @INS-DISCIPLINE-OPINION @违规
    场景: INS-DISCIPLINE-OPINION 自施行之日（2014-01-14）起即适用：2014年9月的会议
      假如 整体平移案例，使讨论决定会议于 2014-09-15 召开
      而且 未听取纪检监察机关意见
      那么 应当发现违规 INS-DISCIPLINE-OPINION

    @INS-FILE-REVIEW @违规
    场景: INS-FILE-REVIEW 自施行之日（2016-08-01）起即适用：2017年3月的会议
      假如 整体平移案例，使讨论决定会议于 2017-03-15 召开
      而且 未进行干部人事档案审核
      那么 应当发现违规 INS-FILE-REVIEW

    @INS-INTEGRITY-SIGNOFF @违规
    场景: INS-INTEGRITY-SIGNOFF 自施行之日（2016-08-01）起即适用：2017年3月的会议
      假如 整体平移案例，使讨论决定会议于 2017-03-15 召开
      而且 没有廉洁自律结论性意见
      那么 应当发现违规 INS-INTEGRITY-SIGNOFF

    @INS-MATERIALS @违规
    场景: INS-MATERIALS 自施行之日（2014-01-14）起即适用：2014年9月的会议
      假如 整体平移案例，使讨论决定会议于 2014-09-15 召开
      而且 考察材料未写明主要优点
      那么 应当发现违规 INS-MATERIALS

    @INS-PERSONAL-MATTERS @违规
    场景: INS-PERSONAL-MATTERS 自施行之日（2016-08-01）起即适用：2017年3月的会议
      假如 整体平移案例，使讨论决定会议于 2017-03-15 召开
      而且 未进行个人有关事项报告查核
      那么 应当发现违规 INS-PERSONAL-MATTERS

    @INS-STEPS @违规
    场景: INS-STEPS 自施行之日（2002-07-09）起即适用：2003年3月的会议
      假如 整体平移案例，使讨论决定会议于 2003-03-17 召开
      而且 未制定考察工作方案
      那么 应当发现违规 INS-STEPS

    @INS-TARGET-COLLECTIVE @违规
    场景: INS-TARGET-COLLECTIVE 自施行之日（2014-01-14）起即适用：2014年9月的会议
      假如 整体平移案例，使讨论决定会议于 2014-09-15 召开
      而且 考察对象未经集体研究确定
      那么 应当发现违规 INS-TARGET-COLLECTIVE

    @INS-TEAM-2 @违规
    场景: INS-TEAM-2 自施行之日（2014-01-14）起即适用：2014年9月的会议
      假如 整体平移案例，使讨论决定会议于 2014-09-15 召开
      而且 考察组只有 1 人
      那么 应当发现违规 INS-TEAM-2

    @QUAL-BASIC-CONDITIONS @违规
    场景: QUAL-BASIC-CONDITIONS 自施行之日（2014-01-14）起即适用：2014年9月的会议
      假如 整体平移案例，使讨论决定会议于 2014-09-15 召开
      而且 没有该人选基本条件评价的书面记录
      那么 应当发现违规 QUAL-BASIC-CONDITIONS

    @REC-NOT-BY-VOTES @违规
    场景: REC-NOT-BY-VOTES 自施行之日（2014-01-14）起即适用：2014年9月的会议
      假如 整体平移案例，使讨论决定会议于 2014-09-15 召开
      而且 另一名人选得推荐票 40 票
      而且 确定考察对象时未说明理由
      那么 应当发现违规 REC-NOT-BY-VOTES

  规则: 适用范围 —— 每条规则只审查它所指的会议、任用方式和人选
    （条件中的每一项限定都有一个场景说明它不可省略；见 docs/mutation.md）

    @INS-AUDIT-FIRST @合规
    场景: INS-AUDIT-FIRST 不适用：在书记办公会上（不作任免决定的会议）
      假如 该事项由书记办公会讨论决定
      而且 该职位须先进行经济责任审计
      而且 未进行经济责任审计
      那么 不应发现违规 INS-AUDIT-FIRST

    @INS-AUDIT-FIRST @合规
    场景: INS-AUDIT-FIRST 不适用：只涉及未上会的另一名考察对象
      假如 该职位须先进行经济责任审计
      而且 经济责任审计于 2021-04-06 进行
      而且 以下情形针对另一名考察对象
      而且 未进行经济责任审计
      那么 不应发现违规 INS-AUDIT-FIRST

    @INS-DISCIPLINE-OPINION @合规
    场景: INS-DISCIPLINE-OPINION 不适用：平级交流（不是提拔）
      假如 本次任用属于平级交流
      而且 未听取纪检监察机关意见
      那么 不应发现违规 INS-DISCIPLINE-OPINION

    @INS-DISCIPLINE-OPINION @合规
    场景: INS-DISCIPLINE-OPINION 不适用：在书记办公会上（不作任免决定的会议）
      假如 该事项由书记办公会讨论决定
      而且 未听取纪检监察机关意见
      那么 不应发现违规 INS-DISCIPLINE-OPINION

    @INS-DISCIPLINE-OPINION @合规
    场景: INS-DISCIPLINE-OPINION 不适用：只涉及未上会的另一名考察对象
      假如 以下情形针对另一名考察对象
      而且 未听取纪检监察机关意见
      那么 不应发现违规 INS-DISCIPLINE-OPINION

    @INS-FILE-REVIEW @合规
    场景: INS-FILE-REVIEW 不适用：在书记办公会上（不作任免决定的会议）
      假如 该事项由书记办公会讨论决定
      而且 未进行干部人事档案审核
      那么 不应发现违规 INS-FILE-REVIEW

    @INS-FILE-REVIEW @合规
    场景: INS-FILE-REVIEW 不适用：只涉及未上会的另一名考察对象
      假如 以下情形针对另一名考察对象
      而且 未进行干部人事档案审核
      那么 不应发现违规 INS-FILE-REVIEW

    @INS-INTEGRITY-SIGNOFF @合规
    场景: INS-INTEGRITY-SIGNOFF 不适用：平级交流（不是提拔）
      假如 本次任用属于平级交流
      而且 没有廉洁自律结论性意见
      那么 不应发现违规 INS-INTEGRITY-SIGNOFF

    @INS-INTEGRITY-SIGNOFF @合规
    场景: INS-INTEGRITY-SIGNOFF 不适用：在书记办公会上（不作任免决定的会议）
      假如 该事项由书记办公会讨论决定
      而且 没有廉洁自律结论性意见
      那么 不应发现违规 INS-INTEGRITY-SIGNOFF

    @INS-PERSONAL-MATTERS @合规
    场景: INS-PERSONAL-MATTERS 不适用：在书记办公会上（不作任免决定的会议）
      假如 该事项由书记办公会讨论决定
      而且 未进行个人有关事项报告查核
      那么 不应发现违规 INS-PERSONAL-MATTERS

    @INS-PERSONAL-MATTERS @合规
    场景: INS-PERSONAL-MATTERS 不适用：只涉及未上会的另一名考察对象
      假如 以下情形针对另一名考察对象
      而且 未进行个人有关事项报告查核
      那么 不应发现违规 INS-PERSONAL-MATTERS

    @INS-PETITION-CHECK @合规
    场景: INS-PETITION-CHECK 不适用：平级交流（不是提拔）
      假如 本次任用属于平级交流
      而且 会前收到一件线索具体的信访举报，尚未查结
      那么 不应发现违规 INS-PETITION-CHECK

    @INS-PETITION-CHECK @合规
    场景: INS-PETITION-CHECK 不适用：在书记办公会上（不作任免决定的会议）
      假如 该事项由书记办公会讨论决定
      而且 会前收到一件线索具体的信访举报，尚未查结
      那么 不应发现违规 INS-PETITION-CHECK

    @INS-PETITION-CHECK @合规
    场景: INS-PETITION-CHECK 不适用：只涉及未上会的另一名考察对象
      假如 以下情形针对另一名考察对象
      而且 会前收到一件线索具体的信访举报，尚未查结
      那么 不应发现违规 INS-PETITION-CHECK

    @QUAL-BASIC-CONDITIONS @合规
    场景: QUAL-BASIC-CONDITIONS 不适用：会议未通过任用
      假如 没有该人选基本条件评价的书面记录
      而且 会议未通过任用
      那么 不应发现违规 QUAL-BASIC-CONDITIONS

    @QUAL-BASIC-CONDITIONS @合规
    场景: QUAL-BASIC-CONDITIONS 不适用：在书记办公会上（不作任免决定的会议）
      假如 该事项由书记办公会讨论决定
      而且 没有该人选基本条件评价的书面记录
      那么 不应发现违规 QUAL-BASIC-CONDITIONS

  规则: 考察未完成与当天完成 —— 边界情形

    @INS-MATERIALS @合规
    场景: 考察尚未完成时不审查考察材料（由 INS-BEFORE-DECISION 审查）
      假如 考察尚未完成
      而且 考察材料未写明主要优点
      那么 不应发现违规 INS-MATERIALS

    @INS-STEPS @合规
    场景: 考察尚未完成时不审查考察程序
      假如 考察尚未完成
      而且 未制定考察工作方案
      那么 不应发现违规 INS-STEPS

    @INS-PERSONAL-MATTERS @违规
    场景: 个人有关事项报告在会议当天才查核
      假如 个人有关事项报告查核在会议当天才进行
      那么 应当发现违规 INS-PERSONAL-MATTERS

    @INS-INTEGRITY-SIGNOFF @违规
    场景: 廉洁自律结论性意见在会议当天才形成
      假如 廉洁自律结论性意见在会议当天才形成
      那么 应当发现违规 INS-INTEGRITY-SIGNOFF

    @INS-PETITION-CHECK @合规
    场景: 会议当天才收到的信访举报不要求会前查结
      假如 于 2021-04-16 收到一件线索具体的信访举报
      那么 不应发现违规 INS-PETITION-CHECK

    @INS-PETITION-CHECK @违规
    场景: 会前收到的信访举报在会议当天才查结
      假如 于 2021-04-01 收到一件线索具体的信访举报，于 2021-04-16 查结
      那么 应当发现违规 INS-PETITION-CHECK

    @INS-STEPS @合规
    场景: 考察预告与考察方案同一天发布
      假如 考察预告与考察方案在同一天
      那么 不应发现违规 INS-STEPS

    @INS-STEPS @合规
    场景: 没有作出任用决定的，不审查考察结果是否在决定前经组织部门研究
      假如 会议未通过任用
      而且 考察结果未经组织部门研究
      那么 不应发现违规 INS-STEPS

    @INS-DISCIPLINE-OPINION @违规
    场景: 2016 年 8 月"凡提四必"意见施行前，只依据条例
      假如 会议日期为 2016-03-15
      而且 未听取纪检监察机关意见
      那么 应当发现违规 INS-DISCIPLINE-OPINION
      而且 INS-DISCIPLINE-OPINION 依据的版本为 2014
      而且 INS-DISCIPLINE-OPINION 不同时依据 2016-opinion

    @INS-DISCIPLINE-OPINION @违规
    场景: "凡提四必"意见施行后，同时依据该意见
      假如 会议日期为 2017-03-15
      而且 未听取纪检监察机关意见
      那么 应当发现违规 INS-DISCIPLINE-OPINION
      而且 INS-DISCIPLINE-OPINION 同时依据 2016-opinion
