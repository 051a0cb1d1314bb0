// Korean locale for plotly.js: month and day names and the modebar's words.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  window.Plotly.register({
    moduleType: "locale",
    name: "ko",
    dictionary: {
      "Autoscale": "자동 맞춤",
      "Box Select": "상자 선택",
      "Download plot as a PNG": "PNG로 내려받기",
      "Download plot as a png": "PNG로 내려받기",
      "Download plot": "그래프 내려받기",
      "Lasso Select": "올가미 선택",
      "Pan": "이동",
      "Reset axes": "축 초기화",
      "Zoom": "확대/축소",
      "Zoom in": "확대",
      "Zoom out": "축소",
      "Double-click to zoom back out": "두 번 눌러 원래 크기로"
    },
    format: {
      days: ["일요일", "월요일", "화요일", "수요일", "목요일", "금요일", "토요일"],
      shortDays: ["일", "월", "화", "수", "목", "금", "토"],
      months: ["1월", "2월", "3월", "4월", "5월", "6월", "7월", "8월", "9월", "10월", "11월", "12월"],
      shortMonths: ["1월", "2월", "3월", "4월", "5월", "6월", "7월", "8월", "9월", "10월", "11월", "12월"],
      date: "%Y-%m-%d",
      decimal: ".",
      thousands: ","
    }
  });
}());
